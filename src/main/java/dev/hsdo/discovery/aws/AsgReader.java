package dev.hsdo.discovery.aws;

import dev.hsdo.config.AwsAsgSourceConfig;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.discovery.PollingSource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Reservation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Auto Scaling groups, then the EC2 instances that serve in them: {@code DescribeAutoScalingGroups}
 * (all pages) and {@code DescribeInstances} for the serving ids (all pages, at most 100 ids a call).
 * Clients are made on the first read, so a missing region or credentials show as the source's error.
 */
final class AsgReader implements PollingSource.Reader {
    private static final int IDS_PER_CALL = 100;

    private final AwsAsgSourceConfig config;
    private final AwsCredentialsProvider credentials;
    // Used by the polling thread only, closed after it stopped.
    private AutoScalingClient autoScaling;
    private Ec2Client ec2;

    AsgReader(AwsAsgSourceConfig config, AwsCredentialsProvider credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    @Override
    public boolean slowDown(Exception failure) {
        return AwsClients.throttled(failure);
    }

    @Override
    public Parsed read() throws IOException {
        if (autoScaling == null) {
            try {
                autoScaling = AwsClients.autoScaling(config.region(), config.endpoint(), credentials);
                ec2 = AwsClients.ec2(config.region(), config.endpoint(), credentials);
            } catch (SdkException e) {
                close();
                throw AwsClients.describe("AWS client", e);
            }
        }
        List<AutoScalingGroup> groups = new ArrayList<>();
        try {
            autoScaling.describeAutoScalingGroupsPaginator(r -> r.autoScalingGroupNames(config.groups()))
                    .autoScalingGroups().forEach(groups::add);
        } catch (SdkException e) {
            throw AwsClients.describe("DescribeAutoScalingGroups", e);
        }
        List<String> missing = AwsInstances.missing(config.groups(), groups);
        // Never read a missing group as an empty one: that would remove every server it had.
        if (!missing.isEmpty()) throw new IOException("Auto Scaling groups not found: " + String.join(", ", missing));
        List<String> ids = AwsInstances.serving(groups);
        List<Reservation> reservations = new ArrayList<>();
        try {
            for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL));
                ec2.describeInstancesPaginator(r -> r.instanceIds(chunk)).reservations().forEach(reservations::add);
            }
        } catch (SdkException e) {
            throw AwsClients.describe("DescribeInstances", e);
        }
        return AwsInstances.endpoints(reservations, null, config.port());
    }

    @Override
    public void close() {
        if (autoScaling != null) autoScaling.close();
        if (ec2 != null) ec2.close();
        autoScaling = null;
        ec2 = null;
    }
}
