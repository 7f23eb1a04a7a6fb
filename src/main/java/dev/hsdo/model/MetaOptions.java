package dev.hsdo.model;

import java.util.List;
import java.util.Map;

/**
 * Server options a node asks for in its own tags or metadata, under the {@code hsdo.} prefix:
 * {@code hsdo.weight} (0..256), {@code hsdo.maxconn} (0..10000000), {@code hsdo.ssl},
 * {@code hsdo.ssl-verify} and {@code hsdo.backup} ({@code true} or {@code false}), and {@code hsdo.priority}
 * (0..1000, lower is preferred: which server of an active/backup backend is active first). Pure.
 *
 * <p>Sources check every {@code hsdo.} entry with {@link #problem} and drop (and report) the invalid
 * ones, so a bad value costs that option for that node only; {@link #apply} then overlays what is
 * left on the backend's options, and ignores anything invalid all the same.
 */
public final class MetaOptions {
    /** The prefix of every option key. */
    public static final String PREFIX = "hsdo.";
    public static final String WEIGHT = PREFIX + "weight";
    public static final String MAXCONN = PREFIX + "maxconn";
    public static final String SSL = PREFIX + "ssl";
    public static final String SSL_VERIFY = PREFIX + "ssl-verify";
    public static final String BACKUP = PREFIX + "backup";
    public static final String PRIORITY = PREFIX + "priority";
    /** The highest {@code hsdo.priority}; a node without one ranks after every node with one. */
    public static final int MAX_PRIORITY = 1000;
    private static final List<String> KEYS = List.of(WEIGHT, MAXCONN, SSL, SSL_VERIFY, BACKUP, PRIORITY);
    private static final int MAX_MAXCONN = 10_000_000;

    private MetaOptions() {}

    /**
     * Why {@code key: value} is not a valid option, or null when it is (or is not an option at all).
     * The message names the key and the value, e.g. {@code hsdo.maxconn: invalid value 'x' (an integer 0..10000000)}.
     */
    public static String problem(String key, String value) {
        if (key == null || !key.startsWith(PREFIX)) return null;
        return switch (key) {
            case WEIGHT -> integer(value, 256) == null ? invalid(key, value, "an integer 0..256") : null;
            case MAXCONN -> integer(value, MAX_MAXCONN) == null ? invalid(key, value, "an integer 0.." + MAX_MAXCONN) : null;
            case PRIORITY -> integer(value, MAX_PRIORITY) == null ? invalid(key, value, "an integer 0.." + MAX_PRIORITY) : null;
            case SSL, SSL_VERIFY, BACKUP -> bool(value) == null ? invalid(key, value, "true or false") : null;
            default -> "unknown option " + Tokens.show(key) + " (known: " + String.join(", ", KEYS) + ")";
        };
    }

    /**
     * {@code base} with the node's valid options laid over it. A node's maxconn lowers the backend's
     * but never raises it: a backend's own limit (a capability backend's low maxconn) holds for every
     * node, and a backend without one takes the node's.
     */
    public static ServerOptions apply(ServerOptions base, Map<String, String> meta) {
        Integer maxconn = integer(meta.get(MAXCONN), MAX_MAXCONN);
        int mc = base.maxconn();
        if (maxconn != null && maxconn > 0) mc = mc == 0 ? maxconn : Math.min(mc, maxconn);
        Boolean ssl = bool(meta.get(SSL));
        Boolean verify = bool(meta.get(SSL_VERIFY));
        Boolean backup = bool(meta.get(BACKUP));
        return new ServerOptions(mc, ssl != null ? ssl : base.ssl(), verify != null ? verify : base.sslVerify(),
                base.check(), base.interMs(), base.fastinterMs(), base.downinterMs(), base.rise(), base.fall(),
                base.observeErrors(), backup != null ? backup : base.backup(), base.shutdownOnDown());
    }

    /** The node's {@code hsdo.weight}, or null when it has none (or an invalid one). */
    public static Integer weight(Map<String, String> meta) {
        return integer(meta.get(WEIGHT), 256);
    }

    /** The node's {@code hsdo.priority}, or {@code MAX_PRIORITY + 1} when it has none (or an invalid one). */
    public static int priority(Map<String, String> meta) {
        Integer p = integer(meta.get(PRIORITY), MAX_PRIORITY);
        return p != null ? p : MAX_PRIORITY + 1;
    }

    private static String invalid(String key, String value, String rule) {
        return key + ": invalid value " + Tokens.show(value) + " (" + rule + ")";
    }

    private static Integer integer(String s, int max) {
        // Digits only: no sign, no spaces, nothing Integer.parseInt would let through besides.
        if (s == null || s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
        int n = Integer.parseInt(s);
        return n <= max ? n : null;
    }

    private static Boolean bool(String s) {
        if ("true".equals(s)) return Boolean.TRUE;
        if ("false".equals(s)) return Boolean.FALSE;
        return null;
    }
}
