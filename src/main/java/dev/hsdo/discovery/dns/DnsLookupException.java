package dev.hsdo.discovery.dns;

/**
 * No DNS server gave a usable answer: every one timed out, failed (SERVFAIL), refused, or could not be
 * reached. The source keeps its last good endpoints.
 */
public final class DnsLookupException extends Exception {
    public DnsLookupException(String message) {
        super(message);
    }
}
