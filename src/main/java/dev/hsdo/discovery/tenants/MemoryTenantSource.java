package dev.hsdo.discovery.tenants;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * No source but the admin API: the table lives in the plan, so the plan store keeps it. The controller seeds
 * it from the stored plan when it starts or takes the lead ({@link #seed}).
 */
public final class MemoryTenantSource implements TenantSource {
    private final Object lock = new Object();
    // guarded by lock
    private Map<String, String> entries = Map.of();
    private volatile Runnable onChange = () -> {};

    @Override
    public void start(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Replaces the entries with those of the stored plan, without reporting a change (they are in force already). */
    public void seed(Map<String, String> stored) {
        synchronized (lock) {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stored));
        }
    }

    @Override
    public Map<String, String> entries() {
        synchronized (lock) {
            return entries;
        }
    }

    @Override
    public String error() {
        return null;
    }

    @Override
    public void write(Map<String, String> changes, boolean replace) {
        synchronized (lock) {
            Map<String, String> next = TenantFile.merged(entries, changes, replace);
            entries = java.util.Collections.unmodifiableMap(next);
        }
        onChange.run();
    }

    @Override
    public void close() {}
}
