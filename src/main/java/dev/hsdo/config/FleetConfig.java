package dev.hsdo.config;

import java.time.Duration;

/**
 * Settings of fleet mode ({@code hsdo controller} and {@code hsdo agent}).
 *
 * @param agentId      this agent's id in the fleet (default: the host name)
 * @param zone         the zone this agent serves, or null
 * @param controllerId this controller's candidate id (default: host name and process id)
 * @param leaseTtl     the leader's lease: a controller that dies is replaced within it
 * @param statusTtl    how long an agent's report lives unless renewed; it is renewed every third of it
 */
public record FleetConfig(String agentId, String zone, String controllerId, Duration leaseTtl, Duration statusTtl) {
    /** The defaults: ids from the host, no zone, a 10 s lease, reports living 15 s. */
    public static FleetConfig defaults() {
        return new FleetConfig(Hosts.name(), null, Hosts.name() + "-" + ProcessHandle.current().pid(),
                Duration.ofSeconds(10), Duration.ofSeconds(15));
    }
}
