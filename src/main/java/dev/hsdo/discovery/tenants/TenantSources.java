package dev.hsdo.discovery.tenants;

import dev.hsdo.config.TenantsConfig;

/** Builds the configured tenant table source. */
public final class TenantSources {
    private TenantSources() {}

    /** A new, not yet started, source for {@code config}. */
    public static TenantSource create(TenantsConfig config) {
        return switch (config.source().kind()) {
            case API -> new MemoryTenantSource();
            case FILE -> new FileTenantSource(config.source().path());
            case ETCD -> new EtcdTenantSource(config.source().endpoints(), config.source().prefix());
        };
    }
}
