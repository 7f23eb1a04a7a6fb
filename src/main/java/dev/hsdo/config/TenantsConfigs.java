package dev.hsdo.config;

import dev.hsdo.model.Tokens;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** Reads and checks the {@code tenants:} section; every problem is reported on its node. */
final class TenantsConfigs {
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ETCD_PREFIX = Pattern.compile("[A-Za-z0-9/_.-]{1,128}");

    private TenantsConfigs() {}

    /**
     * The section, or null when it is absent or invalid.
     *
     * @param path resolves a path-valued key of a node against the config's directory
     */
    static TenantsConfig read(ConfigNode n, List<FrontendConfig> frontends, List<BackendConfig> backends,
                              Path runtimeDir, BiFunction<ConfigNode, String, Path> path) {
        n.checkKeys("frontends", "key", "shards", "unknown", "default-shard", "source", "map-file", "verify-interval");
        int errors = n.errorCount();
        List<String> fes = n.strings("frontends", frontends.stream().filter(f -> f.mode() == Mode.HTTP)
                .map(FrontendConfig::name).toList());
        for (String f : fes) {
            FrontendConfig fc = frontends.stream().filter(x -> f.equals(x.name())).findFirst().orElse(null);
            if (fc == null) n.fail("frontends", "unknown frontend " + Tokens.show(f));
            else if (fc.mode() != Mode.HTTP) n.fail("frontends", "frontend " + Tokens.show(f) + " is tcp; tenant routing reads HTTP requests");
        }
        TenantsConfig.Key key = key(n.object("key"));
        TreeMap<String, String> shards = new TreeMap<>();
        ConfigNode s = n.object("shards");
        for (String shard : s.keys()) {
            String backend = s.string(shard, null);
            if (!Tokens.isName(shard)) s.fail(shard, "invalid shard name " + Tokens.show(shard) + " (letters, digits, '-', '_', '.', ':')");
            else if (backends.stream().noneMatch(b -> b.name() != null && b.name().equals(backend)))
                s.fail(shard, "unknown backend " + Tokens.show(backend));
            else if (backends.stream().anyMatch(b -> backend.equals(b.name()) && b.mode() != Mode.HTTP))
                s.fail(shard, "backend " + Tokens.show(backend) + " is tcp; tenant routing reads HTTP requests");
            else shards.put(shard, backend);
        }
        if (shards.isEmpty() && n.errorCount() == errors) n.fail("shards", "at least one shard (name: backend) is required");
        String unknownWord = n.string("unknown", "default");
        TenantsConfig.Unknown unknown = switch (unknownWord) {
            case "default" -> TenantsConfig.Unknown.DEFAULT;
            case "hash" -> TenantsConfig.Unknown.HASH;
            default -> {
                n.fail("unknown", "invalid value " + Tokens.show(unknownWord) + " (default or hash)");
                yield TenantsConfig.Unknown.DEFAULT;
            }
        };
        String defaultShard = n.string("default-shard", shards.isEmpty() ? null : shards.keySet().iterator().next());
        if (unknown == TenantsConfig.Unknown.DEFAULT && defaultShard != null && !shards.isEmpty() && !shards.containsKey(defaultShard))
            n.fail("default-shard", "unknown shard " + Tokens.show(defaultShard) + " (shards: " + String.join(", ", shards.keySet()) + ")");
        if (unknown == TenantsConfig.Unknown.HASH) defaultShard = null;
        TenantsConfig.Source source = source(n.object("source"), path);
        Path mapFile = n.has("map-file") ? path.apply(n, "map-file") : runtimeDir.resolve("tenants.map").toAbsolutePath().normalize();
        if (mapFile != null && !mapFile.toString().matches("[A-Za-z0-9_./:-]{1,200}"))
            n.fail("map-file", "invalid path " + Tokens.show(mapFile.toString()) + " (letters, digits and _ . / : -; it is a Runtime API argument)");
        java.time.Duration verify = n.duration("verify-interval", TenantsConfig.DEFAULT_VERIFY_INTERVAL, false);
        if (n.errorCount() != errors) return null;
        return new TenantsConfig(fes, key, shards, unknown, defaultShard, source, mapFile, verify);
    }

    private static TenantsConfig.Key key(ConfigNode k) {
        k.checkKeys("cookie", "header", "path-segment", "query", "id-bits");
        List<String> given = new ArrayList<>();
        for (String w : List.of("cookie", "header", "path-segment", "query", "id-bits")) if (k.has(w)) given.add(w);
        if (given.size() > 1) {
            k.fail(null, "exactly one of cookie, header, path-segment, query, id-bits is needed, got " + String.join(", ", given));
            return new TenantsConfig.Key(TenantsConfig.KeyKind.COOKIE, "username", 0, 0, 0);
        }
        String kind = given.isEmpty() ? "cookie" : given.getFirst();
        return switch (kind) {
            case "header" -> new TenantsConfig.Key(TenantsConfig.KeyKind.HEADER, name(k, "header", null), 0, 0, 0);
            case "query" -> new TenantsConfig.Key(TenantsConfig.KeyKind.QUERY, name(k, "query", null), 0, 0, 0);
            case "path-segment" -> new TenantsConfig.Key(TenantsConfig.KeyKind.PATH_SEGMENT, null,
                    k.integer("path-segment", 1, 1, 32), 0, 0);
            case "id-bits" -> {
                ConfigNode b = k.object("id-bits");
                b.checkKeys("header", "shift", "bits");
                yield new TenantsConfig.Key(TenantsConfig.KeyKind.ID_BITS, name(b, "header", null),
                        0, b.integer("shift", 0, 0, 62), b.integer("bits", 8, 1, 16));
            }
            default -> new TenantsConfig.Key(TenantsConfig.KeyKind.COOKIE, name(k, "cookie", "username"), 0, 0, 0);
        };
    }

    // The name sits inside a sample fetch such as req.cook(<name>): nothing that could close or extend it.
    private static String name(ConfigNode n, String key, String def) {
        String v = n.string(key, def);
        if (v == null) n.fail(key, "is required");
        else if (!KEY_NAME.matcher(v).matches()) n.fail(key, "invalid value " + Tokens.show(v) + " (letters, digits, '-', '_')");
        return v;
    }

    private static TenantsConfig.Source source(ConfigNode s, BiFunction<ConfigNode, String, Path> path) {
        String type = s.string("type", "api");
        return switch (type) {
            case "api" -> {
                s.checkKeys("type");
                yield new TenantsConfig.Source(TenantsConfig.SourceKind.API, null, List.of(), null);
            }
            case "file" -> {
                s.checkKeys("type", "path");
                if (!s.has("path")) s.fail("path", "is required");
                yield new TenantsConfig.Source(TenantsConfig.SourceKind.FILE, s.has("path") ? path.apply(s, "path") : null, List.of(), null);
            }
            case "etcd" -> {
                s.checkKeys("type", "endpoints", "prefix");
                List<String> endpoints = s.strings("endpoints", List.of());
                if (endpoints.isEmpty()) s.fail("endpoints", "at least one etcd URL is required");
                String prefix = s.string("prefix", "/hsdo/tenants/");
                if (!ETCD_PREFIX.matcher(prefix).matches()) s.fail("prefix", "invalid value " + Tokens.show(prefix) + " (letters, digits, '/', '_', '.', '-')");
                yield new TenantsConfig.Source(TenantsConfig.SourceKind.ETCD, null, endpoints, prefix);
            }
            default -> {
                s.fail("type", "unknown table source " + Tokens.show(type) + " (api, file, etcd)");
                yield new TenantsConfig.Source(TenantsConfig.SourceKind.API, null, List.of(), null);
            }
        };
    }
}
