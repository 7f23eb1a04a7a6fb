package dev.hsdo.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Settings of fleet mode ({@code hsdo controller} and {@code hsdo agent}).
 *
 * @param agentId      this agent's id in the fleet (default: {@link #defaultAgentId}, the host name and the admin
 *                     port, unique among the agents of one host)
 * @param zone         the zone this agent serves, or null
 * @param controllerId this controller's candidate id (default: host name and process id)
 * @param leaseTtl     the leader's lease: a controller that dies is replaced within it
 * @param statusTtl    how long an agent's report lives unless renewed; it is renewed every third of it
 * @param haproxySocket the Runtime API of an HAProxy the user runs with their own config (unix path or
 *                      host:port), or null when hsdo starts HAProxy from the config it renders
 */
public record FleetConfig(String agentId, String zone, String controllerId, Duration leaseTtl, Duration statusTtl,
                          String haproxySocket) {
    /**
     * The default agent id: {@code HOST:ADMIN-PORT}, or {@code HOST:HASH} of the data directory when the admin API
     * is off. Two agents on one host cannot share an admin port or a runtime directory, so they get distinct ids.
     *
     * @param adminBind  the admin API's {@code address:port}, or null/empty when off
     * @param runtimeDir the agent's data directory
     */
    public static String defaultAgentId(String host, String adminBind, Path runtimeDir) {
        if (adminBind != null && !adminBind.isEmpty()) return host + ":" + adminBind.substring(adminBind.lastIndexOf(':') + 1);
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256")
                    .digest(runtimeDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return host + ":" + HexFormat.of().formatHex(sum, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** This config with agent id {@code id}. */
    public FleetConfig withAgentId(String id) {
        return new FleetConfig(id, zone, controllerId, leaseTtl, statusTtl, haproxySocket);
    }

    /** The defaults: ids from the host, no zone, a 10 s lease, reports living 15 s. */
    public static FleetConfig defaults() {
        return new FleetConfig(Hosts.name(), null, Hosts.name() + "-" + ProcessHandle.current().pid(),
                Duration.ofSeconds(10), Duration.ofSeconds(15), null);
    }
}
