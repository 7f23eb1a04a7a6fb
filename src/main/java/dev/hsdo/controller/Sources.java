package dev.hsdo.controller;

import dev.hsdo.config.DnsSourceConfig;
import dev.hsdo.config.FileSourceConfig;
import dev.hsdo.config.SourceConfig;
import dev.hsdo.discovery.Source;
import dev.hsdo.discovery.dns.DnsSource;
import dev.hsdo.discovery.dns.dnsjava.DnsjavaSrvLookup;
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
        };
    }
}
