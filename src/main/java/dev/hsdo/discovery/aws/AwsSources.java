package dev.hsdo.discovery.aws;

import dev.hsdo.config.AwsAsgSourceConfig;
import dev.hsdo.config.AwsEc2TagsSourceConfig;
import dev.hsdo.discovery.PollingSource;
import dev.hsdo.discovery.Source;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.time.Clock;
import java.time.Duration;

/**
 * The AWS sources. AWS offers no watch, so both poll every {@code interval}; a failed poll is retried
 * every 1 s, and only throttling backs off, doubling up to the interval. Credentials come from the SDK's default chain (environment,
 * profile, web identity, container or instance role) unless given.
 */
public final class AwsSources {
    private static final Duration RETRY = Duration.ofSeconds(1);

    private AwsSources() {}

    /** Auto Scaling group instances with the default credentials chain. */
    public static Source asg(AwsAsgSourceConfig c, Clock clock) {
        return asg(c, clock, DefaultCredentialsProvider.builder().build(), RETRY);
    }

    /** Auto Scaling group instances with {@code credentials}; failed polls retried from {@code retry} up. */
    public static Source asg(AwsAsgSourceConfig c, Clock clock, AwsCredentialsProvider credentials, Duration retry) {
        return new PollingSource(c.name(), "aws auto scaling groups " + c.groups(), c.interval(), retry,
                max(retry, c.interval()), clock, new AsgReader(c, credentials));
    }

    /** Tagged EC2 instances with the default credentials chain. */
    public static Source ec2Tags(AwsEc2TagsSourceConfig c, Clock clock) {
        return ec2Tags(c, clock, DefaultCredentialsProvider.builder().build(), RETRY);
    }

    /** Tagged EC2 instances with {@code credentials}; failed polls retried from {@code retry} up. */
    public static Source ec2Tags(AwsEc2TagsSourceConfig c, Clock clock, AwsCredentialsProvider credentials, Duration retry) {
        return new PollingSource(c.name(), "aws ec2 instances tagged " + c.serviceTag() + "=" + c.service(), c.interval(),
                retry, max(retry, c.interval()), clock, new Ec2TagsReader(c, credentials));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
