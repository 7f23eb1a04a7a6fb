package dev.hsdo.controller;

import dev.hsdo.config.TenantsConfig;
import dev.hsdo.discovery.tenants.MemoryTenantSource;
import dev.hsdo.discovery.tenants.TenantSource;
import dev.hsdo.model.TenantIds;
import dev.hsdo.model.TenantTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The controller's tenant table: the raw entries of the configured source, checked into a {@link TenantTable}
 * (unsafe ids and unknown shards rejected and kept for the report). Admin API writes are checked first and go to
 * the source, which stays the one truth.
 */
public final class TenantBook implements AutoCloseable {
    private final TenantsConfig config;
    private final TenantSource source;
    private final Object lock = new Object();
    // guarded by lock: the entries the table was last built from, and that table
    private Map<String, String> builtFrom;
    private TenantTable table = TenantTable.EMPTY;
    private volatile Runnable onChange = () -> {};

    public TenantBook(TenantsConfig config, TenantSource source) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The configuration of tenant routing. */
    public TenantsConfig config() {
        return config;
    }

    /** Starts the source; a source that cannot be read yet starts empty and reports its error. */
    public void start(Runnable changed) {
        this.onChange = changed;
        try {
            source.start(() -> onChange.run());
        } catch (IOException e) {
            // Reported by error(); the table stays as the plan has it until the source reads.
        }
    }

    /**
     * Takes the stored plan's table as the entries when the table lives only in the plan (no file or etcd):
     * a restarted or newly leading controller goes on from what the fleet runs.
     */
    public void restore(TenantTable stored) {
        if (source instanceof MemoryTenantSource m && m.entries().isEmpty() && !stored.entries().isEmpty()) m.seed(stored.entries());
    }

    /** Checks the source for a change (a file's time stamp). */
    public void poll() {
        source.poll();
    }

    /**
     * The checked table of the source's entries, or null while a source that never read has nothing (the plan's
     * table then stays as it is: a source outage never empties the map).
     */
    public TenantTable table() {
        Map<String, String> entries = source.entries();
        synchronized (lock) {
            if (entries.isEmpty() && source.error() != null) return null;
            if (entries != builtFrom) {
                List<TenantIds.Raw> raw = new ArrayList<>(entries.size());
                entries.forEach((t, s) -> raw.add(new TenantIds.Raw(t, s)));
                table = TenantIds.check(raw, config.shards().keySet());
                builtFrom = entries;
            }
            return table;
        }
    }

    /** The source's last error, or null. */
    public String error() {
        return source.error();
    }

    /**
     * Writes checked changes to the source: each entry must be a safe tenant id and a known shard (null deletes).
     *
     * @return the entries refused, with the reason; the others were written
     * @throws IOException when the source cannot be written
     */
    public List<TenantTable.Rejection> write(Map<String, String> changes, boolean replace) throws IOException {
        Map<String, String> ok = new java.util.LinkedHashMap<>();
        List<TenantTable.Rejection> refused = new ArrayList<>();
        changes.forEach((t, s) -> {
            String why = s == null ? (TenantIds.isTenant(t) ? null : TenantIds.reason(t, null, config.shards().keySet()))
                    : TenantIds.reason(t, s, config.shards().keySet());
            if (why == null) ok.put(t, s);
            else refused.add(new TenantTable.Rejection(t, s, why));
        });
        if (!ok.isEmpty() || replace) source.write(ok, replace);
        return refused;
    }

    @Override
    public void close() {
        source.close();
    }
}
