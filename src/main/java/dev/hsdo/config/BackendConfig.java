package dev.hsdo.config;

import dev.hsdo.model.Selector;

import java.time.Duration;
import java.util.List;

/**
 * A backend whose servers hsdo manages.
 *
 * @param name           backend name
 * @param mode           http or tcp
 * @param balance        balance algorithm with its argument, e.g. {@code uri}, {@code hdr(host)}
 * @param hashType       hash-type line, e.g. {@code consistent}, or null for algorithms that do not hash
 * @param sources        names of the sources whose endpoints become this backend's servers
 * @param healthCheck    active checks
 * @param serverDefaults per-server defaults
 * @param retries        retries on connection failure (with redispatch on the last one)
 * @param select         which endpoints of the sources this backend takes, or null for all
 * @param queueTimeout   how long a request may wait for a server slot (maxconn), or null for the default
 * @param serverTimeout  how long a server may take to answer, or null for {@code haproxy.timeouts.server}
 */
public record BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                            HealthCheck healthCheck, ServerDefaults serverDefaults, int retries, Selector select,
                            Duration queueTimeout, Duration serverTimeout) {
    public BackendConfig {
        sources = List.copyOf(sources);
    }

    /** A backend taking every endpoint of its sources, with the default timeouts. */
    public BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                         HealthCheck healthCheck, ServerDefaults serverDefaults, int retries) {
        this(name, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, null, null, null);
    }
}
