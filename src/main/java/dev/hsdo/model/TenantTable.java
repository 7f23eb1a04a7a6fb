package dev.hsdo.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tenant → shard table of a plan: every entry already checked ({@link TenantIds}), sorted by tenant, plus
 * the entries that were rejected and why (kept so that every agent and the status API report the same ones).
 *
 * <p>Immutable; equal content, equal {@link #digest()}, and equality is by digest (cheap for a million entries).
 */
public final class TenantTable {
    /** The table with no entry: what a plan without tenants carries. */
    public static final TenantTable EMPTY = new TenantTable(new TreeMap<>(), List.of());

    private final SortedMap<String, String> entries;
    private final List<Rejection> rejected;
    private final String digest;

    /**
     * @param entries  tenant → shard name; only safe tenant ids ({@link TenantIds#isTenant}) and safe names
     * @param rejected the entries left out and why
     * @throws IllegalArgumentException when an entry could break a map line or a command
     */
    @JsonCreator
    public TenantTable(@JsonProperty("entries") Map<String, String> entries,
                       @JsonProperty("rejected") List<Rejection> rejected) {
        if (entries == null) entries = Map.of();
        // Shard names repeat a million times: one string per shard, not per entry.
        Map<String, String> shards = new java.util.HashMap<>();
        boolean sorted = entries instanceof SortedMap<String, String> s && s.comparator() == null;
        TreeMap<String, String> unsorted = new TreeMap<>();
        entries.forEach((t, s) -> {
            Tokens.require(TenantIds.isTenant(t), "tenant", t, TenantIds.TENANT_RULE);
            String shard = s == null ? null : shards.get(s);
            // A shard name is checked once, when first seen: a few names, each repeated over the whole table.
            if (shard == null) {
                Tokens.require(Tokens.isName(s), "shard of tenant " + t, s, "a backend name");
                shards.put(s, shard = s);
            }
            if (!sorted) unsorted.put(t, shard);
        });
        // Already in order (the checked table of a source): copied in linear time, its shard strings kept.
        this.entries = Collections.unmodifiableSortedMap(sorted ? new TreeMap<>((SortedMap<String, String>) entries) : unsorted);
        List<Rejection> r = new ArrayList<>(rejected == null ? List.of() : rejected);
        r.sort(java.util.Comparator.comparing(Rejection::tenant).thenComparing(Rejection::shard));
        this.rejected = List.copyOf(r);
        this.digest = computeDigest();
    }

    /** Tenant → shard name, sorted by tenant. */
    @JsonProperty("entries")
    public SortedMap<String, String> entries() {
        return entries;
    }

    /** The entries left out, sorted by tenant. */
    @JsonProperty("rejected")
    public List<Rejection> rejected() {
        return rejected;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TenantTable t && t.digest.equals(digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "TenantTable[" + entries.size() + " entries, " + rejected.size() + " rejected, " + digest + "]";
    }

    /** Whether the table has neither entries nor rejections. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return entries.isEmpty() && rejected.isEmpty();
    }

    /** SHA-256 (hex) of the canonical text: one {@code tenant shard} line per entry, then the rejections. */
    public String digest() {
        return digest;
    }

    private String computeDigest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // Tenant ids and shard names are ASCII (checked above): copied into one buffer as bytes, rather than a
            // string and a byte array made per entry.
            byte[] buf = new byte[1 << 16];
            int n = 0;
            for (Map.Entry<String, String> e : entries.entrySet()) {
                String k = e.getKey(), v = e.getValue();
                if (n + k.length() + v.length() + 2 > buf.length) {
                    md.update(buf, 0, n);
                    n = 0;
                }
                for (int i = 0; i < k.length(); i++) buf[n++] = (byte) k.charAt(i);
                buf[n++] = ' ';
                for (int i = 0; i < v.length(); i++) buf[n++] = (byte) v.charAt(i);
                buf[n++] = '\n';
            }
            md.update(buf, 0, n);
            for (Rejection r : rejected)
                md.update(("rejected " + Tokens.show(r.tenant()) + ' ' + Tokens.show(r.shard()) + ' ' + r.reason() + '\n')
                        .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jackson's filter for {@code @JsonInclude(CUSTOM)}: an empty table is left out of a plan's JSON. */
    public static final class EmptyFilter {
        @Override
        public boolean equals(Object other) {
            return other == null || (other instanceof TenantTable t && t.isEmpty());
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /**
     * An entry that did not make it into the table.
     *
     * @param tenant the tenant id as given (may hold anything)
     * @param shard  the shard as given
     * @param reason why it was rejected
     */
    public record Rejection(String tenant, String shard, String reason) {
        public Rejection {
            tenant = tenant == null ? "" : tenant;
            shard = shard == null ? "" : shard;
            Objects.requireNonNull(reason, "reason");
        }
    }
}
