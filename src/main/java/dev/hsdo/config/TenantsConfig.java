package dev.hsdo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code tenants:} section: a tenant → shard table looked up inside HAProxy as a map.
 *
 * @param frontends    the frontends whose requests are routed by tenant
 * @param key          where a request's tenant id comes from
 * @param shards       shard name → backend, sorted by shard name (the order hash placement uses)
 * @param unknown      what happens to a tenant the table does not list
 * @param defaultShard the shard of unknown tenants with {@link Unknown#DEFAULT}, else null
 * @param source       where the table comes from
 * @param mapFile      the map file HAProxy loads and hsdo rewrites before each runtime change
 * @param verifyInterval how often an agent reads the whole map back to find hand-made changes (drift) that leave
 *                       the map's version and entry count as they were
 */
public record TenantsConfig(List<String> frontends, Key key, SortedMap<String, String> shards, Unknown unknown,
                            String defaultShard, Source source, Path mapFile, Duration verifyInterval) {
    /** The default of {@code tenants.verify-interval}. */
    public static final Duration DEFAULT_VERIFY_INTERVAL = Duration.ofMinutes(1);

    /** With the default verify interval. */
    public TenantsConfig(List<String> frontends, Key key, SortedMap<String, String> shards, Unknown unknown,
                         String defaultShard, Source source, Path mapFile) {
        this(frontends, key, shards, unknown, defaultShard, source, mapFile, DEFAULT_VERIFY_INTERVAL);
    }

    public TenantsConfig {
        Objects.requireNonNull(verifyInterval, "verifyInterval");
        if (verifyInterval.isNegative() || verifyInterval.isZero())
            throw new IllegalArgumentException("verify interval must be positive, got " + verifyInterval);
        frontends = List.copyOf(frontends);
        shards = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(shards));
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(unknown, "unknown");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mapFile, "mapFile");
        if (unknown == Unknown.DEFAULT && !shards.containsKey(defaultShard))
            throw new IllegalArgumentException("default shard " + defaultShard + " is not a shard");
    }

    /** The backend of {@code shard}, or null. */
    public String backend(String shard) {
        return shards.get(shard);
    }

    /** What a tenant the table does not list gets. */
    public enum Unknown {
        /** The default shard. */
        DEFAULT,
        /** A shard chosen by a hash of the tenant id, the same on every HAProxy. */
        HASH
    }

    /** How the tenant id is taken from a request. */
    public enum KeyKind { COOKIE, HEADER, PATH_SEGMENT, QUERY, ID_BITS }

    /**
     * Where the tenant id comes from.
     *
     * @param kind    cookie, header, path segment, query parameter, or shard bits of a numeric id
     * @param name    the cookie, header or query parameter name (for id bits: the header holding the id)
     * @param segment the 1-based path segment (path-segment only)
     * @param shift   id bits: how many low bits to drop
     * @param bits    id bits: how many bits, above {@code shift}, make the key
     */
    public record Key(KeyKind kind, String name, int segment, int shift, int bits) {
        public Key {
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** Where the table comes from. */
    public enum SourceKind {
        /** Only the admin API (the table lives in the plan store). */
        API,
        /** A YAML ({@code tenant: shard} mapping under {@code tenants:}) or CSV ({@code tenant,shard}) file. */
        FILE,
        /** One etcd key per tenant under a prefix, watched. */
        ETCD
    }

    /**
     * The table's source.
     *
     * @param kind      api, file or etcd
     * @param path      the file (file only)
     * @param endpoints etcd client URLs (etcd only)
     * @param prefix    the etcd key prefix; the tenant id is the rest of the key, the shard its value (etcd only)
     */
    public record Source(SourceKind kind, Path path, List<String> endpoints, String prefix) {
        public Source {
            Objects.requireNonNull(kind, "kind");
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }
}
