package dev.hsdo.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Endpoints that services register themselves in etcd: one key per endpoint under {@code prefix}, its value
 * the endpoint as JSON, usually attached to a lease so that it disappears when the service stops renewing.
 * Watched, not polled.
 *
 * @param name          source name
 * @param endpoints     etcd client URLs
 * @param prefix        the key prefix, e.g. {@code /hsdo/services/web/}
 * @param checkInterval how often the connection is checked while the watch is quiet, so that an outage is
 *                      reported (the watch alone would wait silently for etcd to come back)
 */
public record EtcdRegistrySourceConfig(String name, List<URI> endpoints, String prefix, Duration checkInterval)
        implements SourceConfig {
    public EtcdRegistrySourceConfig {
        endpoints = List.copyOf(endpoints);
    }
}
