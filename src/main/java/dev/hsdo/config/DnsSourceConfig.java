package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Endpoints from a DNS SRV record, re-read every {@code refresh} (sooner when the records' TTL is shorter).
 *
 * @param name           source name
 * @param srv            the SRV name, absolute, e.g. {@code _http._tcp.app.example.com.}
 * @param servers        DNS servers to ask, in order; empty for the system resolver configuration
 * @param refresh        the longest time between two reads
 * @param timeout        how long one query waits for an answer
 * @param priorityPolicy which SRV priorities serve
 * @param weightPolicy   where server weights come from
 */
public record DnsSourceConfig(String name, String srv, List<Server> servers, Duration refresh, Duration timeout,
                              PriorityPolicy priorityPolicy, WeightPolicy weightPolicy) implements SourceConfig {
    // _service._proto.name.: labels of letters, digits, '-' and '_', at most 253 characters in all.
    private static final Pattern SRV_NAME = Pattern.compile("_[A-Za-z0-9-]{1,62}\\._[A-Za-z0-9-]{1,62}(\\.[A-Za-z0-9_-]{1,63})+\\.?");
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[0-9.]+)(:(\\d{1,5}))?");

    /** What SRV priorities mean (RFC 2782: a lower value is preferred). */
    public enum PriorityPolicy {
        /** The targets of the lowest priority value that has usable targets serve; the others are HAProxy backups. */
        BACKUP,
        /** Only the targets of the lowest priority value that has usable targets; the others are left out. */
        LOWEST,
        /** Every target serves, whatever its priority. */
        ALL
    }

    /** Where a server's weight comes from. */
    public enum WeightPolicy {
        /** The backend's {@code server-defaults.weight} for every server: the ring stays the same on every instance. */
        EQUAL,
        /** The SRV weight, capped to HAProxy's 1..256. */
        SRV
    }

    /**
     * A DNS server to ask.
     *
     * @param address IP literal
     * @param port    1..65535
     */
    public record Server(String address, int port) {
        public Server {
            Tokens.require(Tokens.isIpLiteral(address), "DNS server address", address, "an IPv4 or IPv6 literal");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("DNS server port: invalid value " + port + " (1..65535)");
        }

        /**
         * Parses {@code ip}, {@code ip:port}, {@code [ipv6]} or {@code [ipv6]:port}; the port defaults to 53.
         *
         * @throws IllegalArgumentException saying what is wrong
         */
        public static Server parse(String text) {
            String t = text == null ? "" : text.strip();
            Matcher m = SERVER.matcher(t);
            if (!m.matches()) {
                // A bare IPv6 literal has colons but no brackets.
                if (Tokens.isIpLiteral(t)) return new Server(t, 53);
                throw new IllegalArgumentException("expected host:port with host an IP literal ([IPv6] in brackets)");
            }
            String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            int port = m.group(3) == null ? 53 : Integer.parseInt(m.group(3));
            if (!Tokens.isIpLiteral(host)) throw new IllegalArgumentException("host is not an IP literal");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535");
            return new Server(host, port);
        }

        @Override
        public String toString() {
            return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
        }
    }

    public DnsSourceConfig {
        Objects.requireNonNull(name, "name");
        if (!isSrvName(srv)) throw new IllegalArgumentException("srv: invalid value " + Tokens.show(srv));
        srv = absolute(srv);
        servers = List.copyOf(servers);
        if (refresh.isNegative() || refresh.isZero()) throw new IllegalArgumentException("refresh must be > 0, got " + refresh);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        Objects.requireNonNull(priorityPolicy, "priorityPolicy");
        Objects.requireNonNull(weightPolicy, "weightPolicy");
    }

    /** Whether {@code s} has the form {@code _service._proto.name.} (the trailing dot may be left out). */
    public static boolean isSrvName(String s) {
        return s != null && s.length() <= 254 && SRV_NAME.matcher(s).matches();
    }

    /** {@code s} lower-cased with the trailing dot: DNS names are case-insensitive and always absolute here. */
    static String absolute(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }
}
