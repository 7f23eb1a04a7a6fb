package dev.hsdo.model;

/**
 * Server keywords besides address, id and weight. The same record renders the static config line and
 * the {@code add server} command, because HAProxy does not apply {@code default-server} to dynamic
 * servers.
 *
 * @param maxconn       0 for no limit
 * @param ssl           TLS to the server
 * @param sslVerify     verify the server's certificate (with the system CA bundle) when ssl is on
 * @param check         run health checks
 * @param interMs       check interval
 * @param fastinterMs   interval while a state change is pending
 * @param downinterMs   interval while down
 * @param rise          consecutive successes to mark up
 * @param fall          consecutive failures to mark down
 * @param observeErrors mark down on layer-4 errors in live traffic
 * @param backup        a backup server
 * @param shutdownOnDown close the server's sessions when it is marked down ({@code on-marked-down
 *                      shutdown-sessions}): active/backup backends, whose clients must reconnect to the new active
 */
public record ServerOptions(int maxconn, boolean ssl, boolean sslVerify, boolean check, long interMs, long fastinterMs,
                            long downinterMs, int rise, int fall, boolean observeErrors, boolean backup,
                            boolean shutdownOnDown) {
    public ServerOptions {
        if (maxconn < 0) throw new IllegalArgumentException("maxconn: invalid value " + maxconn + " (>= 0)");
        if (interMs <= 0 || fastinterMs <= 0 || downinterMs <= 0)
            throw new IllegalArgumentException("check intervals must be positive");
        if (rise < 1 || fall < 1) throw new IllegalArgumentException("rise and fall must be >= 1");
    }

    /** Options that keep a server's sessions when it goes down. */
    public ServerOptions(int maxconn, boolean ssl, boolean sslVerify, boolean check, long interMs, long fastinterMs,
                         long downinterMs, int rise, int fall, boolean observeErrors, boolean backup) {
        this(maxconn, ssl, sslVerify, check, interMs, fastinterMs, downinterMs, rise, fall, observeErrors, backup, false);
    }

    /** These options with {@code backup} set as given. */
    public ServerOptions withBackup(boolean isBackup) {
        return new ServerOptions(maxconn, ssl, sslVerify, check, interMs, fastinterMs, downinterMs, rise, fall, observeErrors,
                isBackup, shutdownOnDown);
    }

    /**
     * The record's text, which is part of a plan's canonical form (its digest): {@code shutdownOnDown} is
     * named only when set, so plans stored before it existed keep their digests.
     */
    @Override
    public String toString() {
        return "ServerOptions[maxconn=" + maxconn + ", ssl=" + ssl + ", sslVerify=" + sslVerify + ", check=" + check
                + ", interMs=" + interMs + ", fastinterMs=" + fastinterMs + ", downinterMs=" + downinterMs + ", rise="
                + rise + ", fall=" + fall + ", observeErrors=" + observeErrors + ", backup=" + backup
                + (shutdownOnDown ? ", shutdownOnDown=true]" : "]");
    }

    /** The defaults DESIGN.md measured as safe: checks every 2 s, 500 ms while changing, fall 3, rise 2. */
    public static ServerOptions defaults() {
        return new ServerOptions(0, false, false, true, 2000, 500, 2000, 2, 3, true, false);
    }
}
