package dev.hsdo.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which tenant ids and shard names may become a map line or a Runtime API command, and the checking of raw
 * entries into a {@link TenantTable}. Pure.
 */
public final class TenantIds {
    /** What a tenant id may hold, for error messages. */
    public static final String TENANT_RULE = "1 to 128 of letters, digits and . _ - @ + : = ~ !";
    // Nothing that splits a map line or a CLI command (space, newline, ';'), starts a comment ('#'), or that
    // HAProxy's CLI treats specially (quotes, backslash, '<<' payloads).
    // Checked char by char rather than with a regular expression: every entry of every table is checked
    // (by the controller, and again by each agent decoding a plan), a million times for a large table.
    private static final boolean[] TENANT_CHAR = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) TENANT_CHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TENANT_CHAR[c] = true;
        for (char c = '0'; c <= '9'; c++) TENANT_CHAR[c] = true;
        for (char c : "._@+:=~!-".toCharArray()) TENANT_CHAR[c] = true;
    }

    private TenantIds() {}

    /** Whether {@code t} is a safe tenant id. */
    public static boolean isTenant(String t) {
        if (t == null || t.isEmpty() || t.length() > 128) return false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= 128 || !TENANT_CHAR[c]) return false;
        }
        return true;
    }

    /** One raw entry of a table source, in the order the source lists it. */
    public record Raw(String tenant, String shard) {}

    /**
     * The table of the raw entries: those with a safe tenant id and a shard in {@code shards} go in, the
     * others are rejected with the reason. A tenant listed twice keeps its last entry.
     */
    public static TenantTable check(Collection<Raw> raw, Set<String> shards) {
        TreeMap<String, String> ok = new TreeMap<>();
        Map<String, TenantTable.Rejection> rejected = new TreeMap<>();
        // One string per shard name, not one per entry (a source reads each value anew).
        Map<String, String> canonical = new java.util.HashMap<>();
        for (String s : shards) canonical.put(s, s);
        for (Raw r : raw) {
            String reason = reason(r.tenant(), r.shard(), shards);
            String key = r.tenant() == null ? "" : r.tenant();
            if (reason == null) {
                ok.put(r.tenant(), canonical.get(r.shard()));
                rejected.remove(key);
            } else {
                rejected.put(key, new TenantTable.Rejection(r.tenant(), r.shard(), reason));
                ok.remove(key);
            }
        }
        return new TenantTable(ok, new ArrayList<>(rejected.values()));
    }

    /** Why {@code tenant → shard} cannot go into the table, or null when it can. */
    public static String reason(String tenant, String shard, Set<String> shards) {
        if (!isTenant(tenant))
            return "tenant id " + Tokens.show(tenant) + " is not allowed (" + TENANT_RULE + ")";
        if (shard == null || !shards.contains(shard))
            return "unknown shard " + Tokens.show(shard) + " (configured: " + String.join(", ", new java.util.TreeSet<>(shards)) + ")";
        return null;
    }
}
