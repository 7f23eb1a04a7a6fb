package dev.hsdo.config;

/** One discovery source; each kind has its own record. */
public sealed interface SourceConfig permits FileSourceConfig, DnsSourceConfig, ConsulSourceConfig, AwsAsgSourceConfig,
        AwsEc2TagsSourceConfig, EtcdRegistrySourceConfig {
    /** The name backends refer to. */
    String name();
}
