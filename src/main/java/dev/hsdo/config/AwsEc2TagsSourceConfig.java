package dev.hsdo.config;

import java.net.URI;
import java.time.Duration;

/**
 * Running EC2 instances tagged as members of a service, polled: the instances whose tag {@code serviceTag}
 * has the value {@code service}, each on the port its tag {@code portTag} gives, or {@code port}.
 *
 * @param name       source name
 * @param region     AWS region, or null for the SDK's default chain
 * @param endpoint   an endpoint to use instead of AWS's (a VPC endpoint), or null
 * @param service    the service name to look for
 * @param serviceTag the tag key holding the service name
 * @param portTag    the tag key holding an instance's port
 * @param port       the port of instances without a port tag, or null (then they are skipped and reported)
 * @param interval   time between polls
 */
public record AwsEc2TagsSourceConfig(String name, String region, URI endpoint, String service, String serviceTag,
                                     String portTag, Integer port, Duration interval) implements SourceConfig {
}
