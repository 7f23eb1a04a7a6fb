package dev.hsdo.haproxy;

import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;

/**
 * The keywords of one server after its name. The same text follows {@code server <name>} in the rendered
 * config and {@code add server <backend>/<name>} on the Runtime API, because HAProxy applies no
 * {@code default-server} to dynamic servers: a server added at runtime and the same server read back from
 * the config after a reload must be configured identically.
 *
 * <p>Every keyword emitted here ({@code id weight maxconn ssl verify ca-file backup check inter fastinter
 * downinter rise fall observe error-limit on-error disabled}) was checked against HAProxy 2.6.12: the
 * config parser and {@code add server} both accept all of them, so none had to be dropped.
 *
 * <p>State: a {@link ServerState#MAINT} server renders {@code disabled}, so a restart does not send it
 * traffic before the reconciler runs. A {@link ServerState#DRAIN} server renders like a ready one with its
 * real weight: HAProxy has no config keyword for drain (only an agent check can set it), and {@code weight 0}
 * would take it off the hash ring, which is not what drain means either; the reconciler sets the drain
 * state right after a (re)start. Note that {@code disabled} leaves the informative "configured maint" bit
 * (0x04) in {@code srv_admin_state} even after {@code set server ... state ready}.
 */
public final class ServerLine {
    // HAProxy 2.6 reads the trust store named by this word (the system CA directory, or SSL_CERT_DIR).
    static final String SYSTEM_CA = "@system-ca";

    private ServerLine() {}

    /** The keywords after the server name, e.g. {@code 10.0.0.1:80 id 7 weight 100 check inter 2000ms ...}. */
    public static String args(ServerPlan s) {
        ServerOptions o = s.options();
        StringBuilder b = new StringBuilder(address(s.address(), s.port()))
                .append(" id ").append(s.id())
                .append(" weight ").append(s.weight());
        if (o.maxconn() > 0) b.append(" maxconn ").append(o.maxconn());
        if (o.ssl()) b.append(o.sslVerify() ? " ssl verify required ca-file " + SYSTEM_CA : " ssl verify none");
        if (o.backup()) b.append(" backup");
        if (o.check()) {
            b.append(" check inter ").append(o.interMs()).append("ms")
                    .append(" fastinter ").append(o.fastinterMs()).append("ms")
                    .append(" downinter ").append(o.downinterMs()).append("ms")
                    .append(" rise ").append(o.rise())
                    .append(" fall ").append(o.fall());
            // Only meaningful with checks: a server marked down by traffic errors comes back through checks.
            if (o.observeErrors()) b.append(" observe layer4 error-limit 10 on-error mark-down");
        }
        // Active/backup: clients of a server that went down reconnect, and stick to the new active server.
        if (o.shutdownOnDown()) b.append(" on-marked-down shutdown-sessions");
        if (s.state() == ServerState.MAINT) b.append(" disabled");
        return b.toString();
    }

    /** The whole config line: {@code server <name> <args>}. */
    public static String line(ServerPlan s) {
        return "server " + s.name() + " " + args(s);
    }

    /**
     * {@code address:port}, with an IPv6 address in brackets: HAProxy 2.6 also parses {@code ::1:80} by
     * taking the last colon as the separator, but the bracketed form cannot be misread.
     */
    public static String address(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
