package dev.hsdo.discovery.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Builds the SDK clients the AWS sources use: the Apache HTTP client (not Netty, which would clash with
 * jetcd's), the standard retry mode (throttling errors are retried with exponential backoff and jitter),
 * and bounded timeouts, so one hung call cannot stall a source.
 */
final class AwsClients {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration SOCKET = Duration.ofSeconds(15);
    private static final Duration CALL = Duration.ofSeconds(60);

    private AwsClients() {}

    static AutoScalingClient autoScaling(String region, URI endpoint, AwsCredentialsProvider credentials) {
        var b = AutoScalingClient.builder().credentialsProvider(credentials).overrideConfiguration(override())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(CONNECT).socketTimeout(SOCKET));
        if (region != null) b.region(Region.of(region));
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }

    static Ec2Client ec2(String region, URI endpoint, AwsCredentialsProvider credentials) {
        var b = Ec2Client.builder().credentialsProvider(credentials).overrideConfiguration(override())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(CONNECT).socketTimeout(SOCKET));
        if (region != null) b.region(Region.of(region));
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }

    private static ClientOverrideConfiguration override() {
        return ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).apiCallTimeout(CALL).build();
    }

    /** Whether {@code failure} (as {@link #describe} wraps it) is AWS throttling: then the source backs off. */
    static boolean throttled(Exception failure) {
        return failure.getCause() instanceof SdkServiceException e && e.isThrottlingException();
    }

    /**
     * An error fit for the status page: the service's error code and message without the request id, which
     * changes with every call and would make each failed poll look like a new error.
     */
    static IOException describe(String call, SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return new IOException(call + ": " + s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
                    + " (HTTP " + s.statusCode() + ")", e);
        }
        return new IOException(call + ": " + e.getMessage(), e);
    }
}
