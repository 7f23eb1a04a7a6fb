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
 * @param slowStart      how new servers ramp up their weight
 * @param zone           which zones' servers this backend takes on each agent
 * @param fallback       the backend frontends use while this one has no usable server, or null
 * @param slots          template slots of the user's own config, or null for dynamic servers
 * @param activeBackup   one active server for the whole fleet: a stick table shared through the peers section,
 *                       the other servers backup, no failback
 */
public record BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                            HealthCheck healthCheck, ServerDefaults serverDefaults, int retries, Selector select,
                            Duration queueTimeout, Duration serverTimeout, SlowStartConfig slowStart, ZoneAffinity zone,
                            String fallback, SlotsConfig slots, boolean activeBackup) {
    public BackendConfig {
        sources = List.copyOf(sources);
        if (slowStart == null) slowStart = SlowStartConfig.off();
        if (zone == null) zone = ZoneAffinity.ALL;
    }

    /** A backend that is not active/backup. */
    public BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                         HealthCheck healthCheck, ServerDefaults serverDefaults, int retries, Selector select,
                         Duration queueTimeout, Duration serverTimeout, SlowStartConfig slowStart, ZoneAffinity zone,
                         String fallback, SlotsConfig slots) {
        this(name, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, select, queueTimeout,
                serverTimeout, slowStart, zone, fallback, slots, false);
    }

    /** A backend without slow start, zone affinity, fallback or slots. */
    public BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                         HealthCheck healthCheck, ServerDefaults serverDefaults, int retries, Selector select,
                         Duration queueTimeout, Duration serverTimeout) {
        this(name, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, select, queueTimeout,
                serverTimeout, null, null, null, null);
    }

    /** A backend taking every endpoint of its sources, with the default timeouts. */
    public BackendConfig(String name, Mode mode, String balance, String hashType, List<String> sources,
                         HealthCheck healthCheck, ServerDefaults serverDefaults, int retries) {
        this(name, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, null, null, null);
    }

    /** This backend with slow start {@code s}. */
    public BackendConfig withSlowStart(SlowStartConfig s) {
        return new BackendConfig(name, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, select,
                queueTimeout, serverTimeout, s, zone, fallback, slots, activeBackup);
    }

    /** This backend named {@code newName}, taking {@code newZone}'s servers and falling back to {@code newFallback}. */
    public BackendConfig withZone(String newName, ZoneAffinity newZone, String newFallback) {
        return new BackendConfig(newName, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, select,
                queueTimeout, serverTimeout, slowStart, newZone, newFallback, slots, activeBackup);
    }

    /** This backend in template-slot mode. */
    public BackendConfig withSlots(SlotsConfig s) {
        return new BackendConfig(name, mode, balance, hashType, sources, healthCheck, serverDefaults, retries, select,
                queueTimeout, serverTimeout, slowStart, zone, fallback, s, activeBackup);
    }
}
