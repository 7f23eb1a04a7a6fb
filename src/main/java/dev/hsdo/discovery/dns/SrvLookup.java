package dev.hsdo.discovery.dns;

/** Asks DNS for an SRV name and the addresses of its targets. */
public interface SrvLookup extends AutoCloseable {
    /**
     * Queries {@code srvName} and resolves every target, from the additional section or by A/AAAA queries.
     *
     * @param srvName absolute, lower case, with the trailing dot
     * @return the answer; NXDOMAIN and an answer without SRV records give an empty one
     * @throws DnsLookupException when no server answered usefully (timeout, SERVFAIL, REFUSED, I/O error)
     */
    SrvAnswer lookup(String srvName) throws DnsLookupException;

    /** Releases sockets and threads; the default has none. */
    @Override
    default void close() {
    }
}
