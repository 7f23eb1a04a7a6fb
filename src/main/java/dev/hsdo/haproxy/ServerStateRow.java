package dev.hsdo.haproxy;

import java.util.Objects;

/**
 * One server as {@code show servers state} reports it.
 *
 * @param backendId     be_id
 * @param backendName   be_name
 * @param serverId      srv_id: the number that places the server on a consistent-hash ring
 * @param serverName    srv_name
 * @param address       srv_addr as HAProxy prints it (IPv4 or IPv6 literal), or null when it has none ({@code -})
 * @param port          srv_port (0 when none)
 * @param opState       srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping
 * @param adminState    srv_admin_state: bit field, see the {@code *_MAINT} and {@code *_DRAIN} constants
 * @param userWeight    srv_uweight: the current weight
 * @param initialWeight srv_iweight: the weight from the configuration (or {@code add server})
 * @param checkState    srv_check_state: bit field, see {@link #healthChecksEnabled()}
 * @param forcedId      srv_f_forced_id: whether the id was given explicitly rather than assigned
 * @param fqdn          srv_fqdn, or null when none ({@code -})
 * @param useSsl        srv_use_ssl: whether traffic to the server is TLS, or null when HAProxy does not report it
 */
public record ServerStateRow(int backendId, String backendName, int serverId, String serverName, String address, int port,
                             int opState, int adminState, int userWeight, int initialWeight, int checkState, boolean forcedId,
                             String fqdn, Boolean useSsl) {
    /** Forced into maintenance ({@code set server ... state maint}, or a config {@code disabled}). */
    public static final int FMAINT = 0x01;
    /** Maintenance inherited from a tracked server. */
    public static final int IMAINT = 0x02;
    /** Declared {@code disabled} in the configuration; stays set after {@code state ready}, so it is not maintenance by itself. */
    public static final int CMAINT = 0x04;
    /** Forced into drain ({@code set server ... state drain}). */
    public static final int FDRAIN = 0x08;
    /** Drain inherited from a tracked server. */
    public static final int IDRAIN = 0x10;
    /** Maintenance because DNS resolution failed. */
    public static final int RMAINT = 0x20;
    /** Not a state: the FQDN was changed at runtime (SRV_ADMF_FQDN_CHANGED in 2.6). */
    public static final int FQDN_CHANGED = 0x40;

    // HAProxy's own SRV_ADMF_MAINT mask leaves CMAINT out: a configured-disabled server also carries FMAINT
    // while it is really in maintenance (measured: 'disabled' slot = 5, after 'state ready' = 4).
    private static final int MAINT_MASK = FMAINT | IMAINT | RMAINT;
    private static final int DRAIN_MASK = FDRAIN | IDRAIN;
    private static final int CHECK_CONFIGURED = 0x02;
    private static final int CHECK_ENABLED = 0x04;

    public ServerStateRow {
        Objects.requireNonNull(backendName, "backendName");
        Objects.requireNonNull(serverName, "serverName");
    }

    /** A row without the TLS column. */
    public ServerStateRow(int backendId, String backendName, int serverId, String serverName, String address, int port,
                          int opState, int adminState, int userWeight, int initialWeight, int checkState, boolean forcedId,
                          String fqdn) {
        this(backendId, backendName, serverId, serverName, address, port, opState, adminState, userWeight, initialWeight,
                checkState, forcedId, fqdn, null);
    }

    /** In maintenance, whatever else is set: takes no traffic. */
    public boolean isMaint() {
        return (adminState & MAINT_MASK) != 0;
    }

    /** Draining and not in maintenance: keeps its sessions, takes no new ones. */
    public boolean isDrain() {
        return !isMaint() && (adminState & DRAIN_MASK) != 0;
    }

    /** Neither maintenance nor drain: the administrative state {@code set server ... state ready} gives. */
    public boolean isReady() {
        return !isMaint() && !isDrain();
    }

    /** Operationally running (op state 2), as health checks (or their absence) see it. */
    public boolean isUp() {
        return opState == 2;
    }

    /**
     * Whether health checks are configured and enabled ({@code check} plus, for a dynamic server, {@code enable health}).
     * Measured on 2.6: 2 = configured only, 6 = enabled, 14 = enabled but paused while the server is in maintenance.
     */
    public boolean healthChecksEnabled() {
        return (checkState & (CHECK_CONFIGURED | CHECK_ENABLED)) == (CHECK_CONFIGURED | CHECK_ENABLED);
    }
}
