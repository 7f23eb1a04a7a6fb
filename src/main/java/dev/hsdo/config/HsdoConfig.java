package dev.hsdo.config;

import java.time.Duration;
import java.util.List;

/**
 * The whole validated {@code hsdo.yaml}. Only {@link ConfigLoader} builds one, after checking every key;
 * it is immutable, so it is frozen once hsdo starts.
 *
 * @param haproxy           the HAProxy process and global section
 * @param frontends         frontends
 * @param backends          managed backends
 * @param sources           discovery sources
 * @param reconcileInterval how often the agent re-reads HAProxy and repairs drift
 * @param drainPeriod       how long a leaving server drains before maint and delete
 * @param guard             the mass-removal guard
 * @param admin             admin HTTP API
 * @param store             plan store
 * @param fleet             fleet mode: agent and controller ids, zone, leases
 * @param peers             the peers section of active/backup backends, or null when no backend needs one
 * @param tenants           tenant → shard routing, or null when not configured
 */
public record HsdoConfig(HaproxySettings haproxy, List<FrontendConfig> frontends, List<BackendConfig> backends,
                         List<SourceConfig> sources, Duration reconcileInterval, Duration drainPeriod, GuardConfig guard,
                         AdminConfig admin, StoreConfig store, FleetConfig fleet, PeersConfig peers,
                         TenantsConfig tenants) {
    public HsdoConfig {
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        sources = List.copyOf(sources);
        if (fleet == null) fleet = FleetConfig.defaults();
    }

    /** A configuration without a peers section or tenant routing. */
    public HsdoConfig(HaproxySettings haproxy, List<FrontendConfig> frontends, List<BackendConfig> backends,
                      List<SourceConfig> sources, Duration reconcileInterval, Duration drainPeriod, GuardConfig guard,
                      AdminConfig admin, StoreConfig store, FleetConfig fleet) {
        this(haproxy, frontends, backends, sources, reconcileInterval, drainPeriod, guard, admin, store, fleet, null, null);
    }

    /** Whether some backend is active/backup (and so the rendered config has a peers section). */
    public boolean hasActiveBackup() {
        for (BackendConfig b : backends) if (b.activeBackup()) return true;
        return false;
    }

    /** A configuration with the default fleet settings. */
    public HsdoConfig(HaproxySettings haproxy, List<FrontendConfig> frontends, List<BackendConfig> backends,
                      List<SourceConfig> sources, Duration reconcileInterval, Duration drainPeriod, GuardConfig guard,
                      AdminConfig admin, StoreConfig store) {
        this(haproxy, frontends, backends, sources, reconcileInterval, drainPeriod, guard, admin, store, null, null, null);
    }

    /** The backend named {@code name}, or null. */
    public BackendConfig backend(String name) {
        for (BackendConfig b : backends) if (b.name().equals(name)) return b;
        return null;
    }
}
