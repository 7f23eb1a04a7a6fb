package dev.hsdo.config;

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
 * @param slowStart      how new servers ramp up their weight
 * @param zone           which zones' servers this backend takes on each agent
 * @param fallback       the backend frontends use while this one has no usable server, or null
 * @param slots          template slots of the user's own config, or null for dynamic servers
 */
public record BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                            HealthCheck healthCheck, ServerDefaults serverDefaults, int retries,
                            SlowStartConfig slowStart, ZoneAffinity zone, String fallback, SlotsConfig slots) {
    public BackendConfig {
        sources = List.copyOf(sources);
        if (slowStart == null) slowStart = SlowStartConfig.off();
        if (zone == null) zone = ZoneAffinity.ALL;
    }

    /** A backend without slow start, zone affinity or fallback. */
    public BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                         HealthCheck healthCheck, ServerDefaults serverDefaults, int retries) {
        this(name, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, null, null, null, null);
    }
}
