package dev.hsdo.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The instances of AWS Auto Scaling groups that are {@code InService} and {@code Healthy}, at their EC2
 * private address, polled.
 *
 * @param name     source name
 * @param region   AWS region, or null for the SDK's default chain
 * @param endpoint an endpoint to use instead of AWS's (a VPC endpoint), or null
 * @param groups   Auto Scaling group names
 * @param port     the port every instance serves on
 * @param interval time between polls
 */
public record AwsAsgSourceConfig(String name, String region, URI endpoint, List<String> groups, int port,
                                 Duration interval) implements SourceConfig {
    public AwsAsgSourceConfig {
        groups = List.copyOf(groups);
    }
}
