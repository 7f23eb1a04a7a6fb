package dev.hsdo.haproxy;

import dev.hsdo.config.TenantsConfig;
import dev.hsdo.model.TenantTable;
import dev.hsdo.model.Tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The frontend lines that route by tenant, and the map file they read. Pure.
 *
 * <p>The map holds {@code tenant backend} lines. A listed tenant goes to its shard's backend; an unknown one
 * either to the default shard's backend (the map's default value) or, with hash placement, to the shard
 * {@code CRC-32(tenant) mod <number of shards>} (the IEEE CRC-32 of zlib, no avalanche) picks among the shards sorted by name: the same on every
 * HAProxy, since it depends only on the tenant id and the configured shards. A request without a tenant id
 * goes to the frontend's default backend.
 */
public final class TenantRules {
    private TenantRules() {}

    /** The sample expression that yields a request's tenant id (or the shard bits of its id). */
    public static String fetch(TenantsConfig.Key key) {
        return switch (key.kind()) {
            case COOKIE -> "req.cook(" + key.name() + ")";
            case HEADER -> "req.hdr(" + key.name() + ")";
            case QUERY -> "url_param(" + key.name() + ")";
            // The path starts with '/', so field 1 is the empty text before it.
            case PATH_SEGMENT -> "path,field(" + (key.segment() + 1) + ",/)";
            case ID_BITS -> "req.hdr(" + key.name() + "),div(" + (1L << key.shift()) + "),mod(" + (1L << key.bits()) + ")";
        };
    }

    /** The {@code use_backend} lines of a frontend routed by tenant, in the order HAProxy must try them. */
    public static List<String> lines(TenantsConfig t) {
        String fetch = fetch(t.key());
        String map = t.mapFile().toString();
        List<String> lines = new ArrayList<>();
        if (t.unknown() == TenantsConfig.Unknown.DEFAULT) {
            lines.add("use_backend %[" + fetch + ",map(" + map + "," + t.backend(t.defaultShard()) + ")] if { " + fetch + " -m found }");
            return lines;
        }
        lines.add("use_backend %[" + fetch + ",map(" + map + ")] if { " + fetch + ",map(" + map + ") -m found }");
        List<String> backends = new ArrayList<>(t.shards().values());
        for (int i = 0; i < backends.size(); i++)
            lines.add("use_backend " + backends.get(i) + " if { " + fetch + ",crc32,mod(" + backends.size() + ") eq " + i + " }");
        return lines;
    }

    /** The map's content: one {@code tenant backend} line per entry, sorted by tenant. */
    public static String mapText(TenantsConfig t, TenantTable table) {
        StringBuilder b = new StringBuilder(table.entries().size() * 24);
        // Each shard's backend is checked once, not once per entry: a few shards, up to a million entries.
        Map<String, String> backends = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : table.entries().entrySet()) {
            String backend = backends.computeIfAbsent(e.getValue(), shard -> backend(t, shard));
            b.append(tenant(e.getKey())).append(' ').append(backend).append('\n');
        }
        return b.toString();
    }

    /** One map line, {@code tenant backend}; both words are checked again here, the last step before HAProxy. */
    public static String line(TenantsConfig t, String tenant, String shard) {
        return tenant(tenant) + ' ' + backend(t, shard);
    }

    private static String tenant(String tenant) {
        Tokens.require(dev.hsdo.model.TenantIds.isTenant(tenant), "tenant", tenant, dev.hsdo.model.TenantIds.TENANT_RULE);
        return tenant;
    }

    private static String backend(TenantsConfig t, String shard) {
        String backend = t.backend(shard);
        Tokens.require(Tokens.isName(backend), "backend of shard " + shard, backend, "a configured shard");
        return backend;
    }
}
