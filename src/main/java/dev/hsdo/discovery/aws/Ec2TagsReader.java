package dev.hsdo.discovery.aws;

import dev.hsdo.config.AwsEc2TagsSourceConfig;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.discovery.PollingSource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Reservation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the running EC2 instances tagged with the service: {@code DescribeInstances} filtered by
 * {@code tag:<service-tag>=<service>} and {@code instance-state-name=running}, every page.
 */
final class Ec2TagsReader implements PollingSource.Reader {
    private static final int PAGE = 500;

    private final AwsEc2TagsSourceConfig config;
    private final AwsCredentialsProvider credentials;
    // Used by the polling thread only, closed after it stopped.
    private Ec2Client ec2;

    Ec2TagsReader(AwsEc2TagsSourceConfig config, AwsCredentialsProvider credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    @Override
    public boolean slowDown(Exception failure) {
        return AwsClients.throttled(failure);
    }

    @Override
    public Parsed read() throws IOException {
        if (ec2 == null) {
            try {
                ec2 = AwsClients.ec2(config.region(), config.endpoint(), credentials);
            } catch (SdkException e) {
                throw AwsClients.describe("AWS client", e);
            }
        }
        List<Reservation> reservations = new ArrayList<>();
        try {
            ec2.describeInstancesPaginator(r -> r.maxResults(PAGE).filters(
                            Filter.builder().name("tag:" + config.serviceTag()).values(config.service()).build(),
                            Filter.builder().name("instance-state-name").values("running").build()))
                    .reservations().forEach(reservations::add);
        } catch (SdkException e) {
            throw AwsClients.describe("DescribeInstances", e);
        }
        return AwsInstances.endpoints(reservations, config.portTag(), config.port());
    }

    @Override
    public void close() {
        if (ec2 != null) ec2.close();
        ec2 = null;
    }
}
