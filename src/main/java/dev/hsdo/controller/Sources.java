package dev.hsdo.controller;

import dev.hsdo.config.AwsAsgSourceConfig;
import dev.hsdo.config.AwsEc2TagsSourceConfig;
import dev.hsdo.config.ConsulSourceConfig;
import dev.hsdo.config.DnsSourceConfig;
import dev.hsdo.config.EtcdRegistrySourceConfig;
import dev.hsdo.config.FileSourceConfig;
import dev.hsdo.config.SourceConfig;
import dev.hsdo.discovery.Source;
import dev.hsdo.discovery.aws.AwsSources;
import dev.hsdo.discovery.consul.ConsulSource;
import dev.hsdo.discovery.dns.DnsSource;
import dev.hsdo.discovery.dns.dnsjava.DnsjavaSrvLookup;
import dev.hsdo.discovery.etcd.EtcdRegistrySource;
import dev.hsdo.discovery.file.FileSource;

import java.time.Clock;
import java.time.Duration;

/** Builds the source each source config describes. */
public final class Sources {
    private Sources() {}

    /** A new, not yet started, source for {@code config}. */
    public static Source create(SourceConfig config, Clock clock) {
        return switch (config) {
            case FileSourceConfig f -> new FileSource(f.name(), f.path(), Duration.ofSeconds(1), clock);
            case DnsSourceConfig d -> new DnsSource(d, DnsjavaSrvLookup.of(d), clock);
            case ConsulSourceConfig c -> new ConsulSource(c, clock);
            case AwsAsgSourceConfig a -> AwsSources.asg(a, clock);
            case AwsEc2TagsSourceConfig a -> AwsSources.ec2Tags(a, clock);
            case EtcdRegistrySourceConfig e -> new EtcdRegistrySource(e, clock);
        };
    }
}
