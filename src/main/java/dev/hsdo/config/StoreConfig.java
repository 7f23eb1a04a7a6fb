package dev.hsdo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where plans are kept.
 *
 * @param type         store kind: {@code file} (the embedded default), {@code etcd} or {@code dynamodb}
 * @param path         the plan file for the file store
 * @param endpoints    etcd client URLs
 * @param prefix       etcd key prefix, or the prefix of DynamoDB item keys: fleets sharing a cluster or table
 *                     keep apart by it
 * @param table        DynamoDB table
 * @param region       DynamoDB region, or null for the SDK's default chain
 * @param endpoint     DynamoDB endpoint URL override (DynamoDB Local), or null
 * @param pollInterval how often DynamoDB is polled for a new plan; how often etcd is re-read besides its watch
 * @param timeout      bound on every store request
 */
public record StoreConfig(String type, Path path, List<String> endpoints, String prefix, String table, String region,
                          String endpoint, Duration pollInterval, Duration timeout) {
    public StoreConfig {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** The file store at {@code path}. */
    public StoreConfig(String type, Path path) {
        this(type, path, List.of(), "/hsdo", null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(5));
    }
}
