package dev.hsdo.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Service instances from Consul's health endpoint, watched with blocking queries.
 *
 * @param name       source name
 * @param address    Consul's HTTP API, {@code http://host:port} or {@code https://host:port}
 * @param services   Consul service names; their instances are merged
 * @param health     which instances count, by the worst status of their checks
 * @param datacenter the {@code dc} to ask, or null for the agent's own
 * @param token      ACL token sent as {@code X-Consul-Token}, or null
 * @param caFile     PEM file of CAs to trust for an https address, or null for the system's
 * @param blockingWait how long a blocking query may wait for a change
 */
public record ConsulSourceConfig(String name, URI address, List<String> services, HealthPolicy health,
                                 String datacenter, String token, Path caFile, Duration blockingWait) implements SourceConfig {
    public ConsulSourceConfig {
        services = List.copyOf(services);
        Objects.requireNonNull(health, "health");
    }

    /** Which instances serve, by the worst status among their node's and service's checks. */
    public enum HealthPolicy {
        /** Only instances whose checks all pass. */
        PASSING,
        /** Instances whose checks pass or warn. */
        WARNING,
        /** Every registered instance, whatever its checks say. */
        ANY;

        /** The word used in the config. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        // The token never reaches a log line.
        return "ConsulSourceConfig[name=" + name + ", address=" + address + ", services=" + services + ", health="
                + health.word() + ", datacenter=" + datacenter + ", token=" + (token == null ? "none" : "(set)")
                + ", caFile=" + caFile + ", blockingWait=" + blockingWait + "]";
    }
}
