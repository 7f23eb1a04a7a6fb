package dev.hsdo.discovery.aws;

import dev.hsdo.config.AwsAsgSourceConfig;
import dev.hsdo.config.AwsEc2TagsSourceConfig;
import dev.hsdo.discovery.Source;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.AwsPlayback;
import dev.hsdo.testing.AwsPlayback.Ec2Instance;
import dev.hsdo.testing.AwsPlayback.GroupMember;
import dev.hsdo.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The AWS sources with the real SDK against a local server playing back the AWS Query APIs' XML. */
class AwsSourcesPlaybackTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPLAYBACK", "playback-secret"));

    private final List<SourceSnapshot> seen = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private AwsPlayback aws;
    private Source source;

    @BeforeEach
    void startAws() {
        aws = AwsPlayback.start();
    }

    @AfterEach
    void stop() {
        if (source != null) source.close();
        if (aws != null) aws.close();
    }

    private Source asg(List<String> groups, Duration interval) {
        source = AwsSources.asg(new AwsAsgSourceConfig("web", "us-east-1", aws.endpoint(), groups, 8080, interval),
                clock, CREDENTIALS, Duration.ofMillis(50));
        source.start(seen::add);
        return source;
    }

    private Source tagged(Integer port) {
        source = AwsSources.ec2Tags(new AwsEc2TagsSourceConfig("web", "us-east-1", aws.endpoint(), "web",
                "HAProxy:Service:Name", "HAProxy:Service:Port", port, Duration.ofMinutes(5)), clock, CREDENTIALS, Duration.ofMillis(50));
        source.start(seen::add);
        return source;
    }

    private static List<String> ids(SourceSnapshot s) {
        return s.endpoints().stream().map(Endpoint::name).toList();
    }

    private void fourInstances() {
        aws.instances(
                Ec2Instance.running("i-0001", "10.0.1.1", "us-east-1a", Map.of("aws:autoscaling:groupName", "web", "hsdo.weight", "20")),
                Ec2Instance.running("i-0002", "10.0.1.2", "us-east-1b", Map.of()),
                Ec2Instance.running("i-0003", "10.0.1.3", "us-east-1a", Map.of()),
                Ec2Instance.running("i-0004", "10.0.1.4", "us-east-1b", Map.of()));
    }

    @Test
    void asgInstancesInServiceAndHealthyBecomeEndpointsAtTheirPrivateAddressAndZone() {
        fourInstances();
        aws.group("web", GroupMember.serving("i-0001", "us-east-1a"), GroupMember.serving("i-0002", "us-east-1b"),
                new GroupMember("i-0003", "us-east-1a", "Pending", "Healthy"),
                new GroupMember("i-0004", "us-east-1b", "InService", "Unhealthy"));
        asg(List.of("web"), Duration.ofMinutes(5));

        SourceSnapshot first = seen.getFirst();
        assertThat(first.healthy()).isTrue();
        assertThat(first.endpoints()).containsExactly(
                new Endpoint("i-0001", "10.0.1.1", 8080, null, "us-east-1a", Map.of("hsdo.weight", "20")),
                new Endpoint("i-0002", "10.0.1.2", 8080, null, "us-east-1b", Map.of()));
        assertThat(aws.requests("DescribeInstances").getFirst().params())
                .containsEntry("InstanceId.1", "i-0001").containsEntry("InstanceId.2", "i-0002").doesNotContainKey("InstanceId.3");
        assertThat(aws.requests("DescribeAutoScalingGroups").getFirst().authorization())
                .as("signed by the SDK with the configured region").contains("Credential=AKIDPLAYBACK/", "/us-east-1/autoscaling/aws4_request");
    }

    @Test
    void everyPageOfGroupsAndInstancesIsRead() {
        aws.pageSizes(1, 2);
        fourInstances();
        aws.group("web", GroupMember.serving("i-0001", "us-east-1a"), GroupMember.serving("i-0002", "us-east-1b"));
        aws.group("api", GroupMember.serving("i-0003", "us-east-1a"));
        aws.group("batch", GroupMember.serving("i-0004", "us-east-1b"));
        asg(List.of("web", "api", "batch"), Duration.ofMinutes(5));
        assertThat(ids(seen.getFirst())).containsExactlyInAnyOrder("i-0001", "i-0002", "i-0003", "i-0004");
        assertThat(aws.requests("DescribeAutoScalingGroups")).extracting(r -> r.params().get("NextToken"))
                .containsExactly(null, "asg-1", "asg-2");
    }

    @Test
    void throttlingIsRetriedWithBackoffAndTheReadSucceeds() {
        fourInstances();
        aws.group("web", GroupMember.serving("i-0001", "us-east-1a"));
        aws.failNext("DescribeAutoScalingGroups", 1, 400, "Throttling", "Rate exceeded");
        aws.failNext("DescribeInstances", 1, 503, "RequestLimitExceeded", "Request limit exceeded.");
        asg(List.of("web"), Duration.ofMinutes(5));
        assertThat(seen.getFirst().healthy()).isTrue();
        assertThat(ids(seen.getFirst())).containsExactly("i-0001");
        assertThat(aws.requests("DescribeAutoScalingGroups")).hasSize(2);
        assertThat(aws.requests("DescribeInstances")).hasSize(2);
    }

    @Test
    void persistentThrottlingKeepsTheLastGoodInstancesAndIsReportedUntilItStops() {
        fourInstances();
        aws.group("web", GroupMember.serving("i-0001", "us-east-1a"), GroupMember.serving("i-0002", "us-east-1b"));
        asg(List.of("web"), Duration.ofMillis(200));
        aws.failNext("DescribeAutoScalingGroups", 1000, 400, "Throttling", "Rate exceeded");
        await().atMost(BOUND).until(() -> !source.current().healthy());
        assertThat(source.current().error()).isEqualTo("DescribeAutoScalingGroups: Throttling: Rate exceeded (HTTP 400)");
        assertThat(ids(source.current())).containsExactly("i-0001", "i-0002");

        aws.group("web", GroupMember.serving("i-0002", "us-east-1b"), GroupMember.serving("i-0003", "us-east-1a"));
        aws.clearFaults();
        await().atMost(BOUND).until(() -> source.current().healthy());
        assertThat(ids(source.current())).containsExactly("i-0002", "i-0003");
    }

    @Test
    void anUnreachableEndpointAServerErrorAndMalformedXmlKeepTheLastGoodInstances() {
        fourInstances();
        aws.group("web", GroupMember.serving("i-0001", "us-east-1a"));
        asg(List.of("web"), Duration.ofMillis(200));

        aws.stop();
        await().atMost(BOUND).until(() -> !source.current().healthy());
        assertThat(source.current().error()).startsWith("DescribeAutoScalingGroups: ");
        assertThat(ids(source.current())).containsExactly("i-0001");
        aws.restart();
        await().atMost(BOUND).until(() -> source.current().healthy());

        aws.fault(500, "<ErrorResponse><Error><Code>InternalFailure</Code><Message>oops</Message></Error></ErrorResponse>");
        await().atMost(BOUND).until(() -> !source.current().healthy());
        assertThat(source.current().error()).contains("InternalFailure").contains("HTTP 500");
        assertThat(ids(source.current())).containsExactly("i-0001");

        aws.fault(200, "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups><member><Instan");
        await().atMost(BOUND).until(() -> !source.current().error().contains("InternalFailure"));
        assertThat(source.current().healthy()).isFalse();
        assertThat(ids(source.current())).containsExactly("i-0001");

        aws.group("web", GroupMember.serving("i-0001", "us-east-1a"), GroupMember.serving("i-0004", "us-east-1b"));
        aws.clearFaults();
        await().atMost(BOUND).until(() -> source.current().healthy());
        assertThat(ids(source.current())).containsExactly("i-0001", "i-0004");
    }

    @Test
    void aGroupAwsDoesNotKnowIsAnErrorNotAnEmptyGroup() {
        fourInstances();
        aws.group("web", GroupMember.serving("i-0001", "us-east-1a"));
        asg(List.of("web", "wbe"), Duration.ofMinutes(5));
        assertThat(seen.getFirst().error()).isEqualTo("Auto Scaling groups not found: wbe");
    }

    @Test
    void taggedRunningInstancesAreFoundOnEveryPageOnTheirTaggedPort() {
        aws.pageSizes(50, 2);
        aws.instances(
                Ec2Instance.running("i-0001", "10.0.2.1", "us-east-1a", Map.of("HAProxy:Service:Name", "web", "HAProxy:Service:Port", "9001")),
                Ec2Instance.running("i-0002", "10.0.2.2", "us-east-1b", Map.of("HAProxy:Service:Name", "web")),
                Ec2Instance.running("i-0003", "10.0.2.3", "us-east-1a", Map.of("HAProxy:Service:Name", "api")),
                new Ec2Instance("i-0004", "10.0.2.4", "us-east-1b", "stopped", Map.of("HAProxy:Service:Name", "web")),
                Ec2Instance.running("i-0005", "10.0.2.5", "us-east-1b", Map.of("HAProxy:Service:Name", "web", "HAProxy:Service:Port", "x")),
                Ec2Instance.running("i-0006", "10.0.2.6", "us-east-1a", Map.of("HAProxy:Service:Name", "web")));
        tagged(8080);
        SourceSnapshot s = seen.getFirst();
        assertThat(s.endpoints()).extracting(e -> e.name() + "@" + e.address() + ":" + e.port()).containsExactly(
                "i-0001@10.0.2.1:9001", "i-0002@10.0.2.2:8080", "i-0006@10.0.2.6:8080");
        assertThat(s.rejected()).containsExactly("instance 'i-0005': tag HAProxy:Service:Port: invalid port 'x' (1..65535)");
        var first = aws.requests("DescribeInstances").getFirst().params();
        assertThat(first).containsEntry("Filter.1.Name", "tag:HAProxy:Service:Name").containsEntry("Filter.1.Value.1", "web")
                .containsEntry("Filter.2.Name", "instance-state-name").containsEntry("Filter.2.Value.1", "running");
        assertThat(aws.requests("DescribeInstances")).extracting(r -> r.params().get("NextToken")).containsExactly(null, "ec2-2");
    }
}
