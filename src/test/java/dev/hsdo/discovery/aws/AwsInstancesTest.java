package dev.hsdo.discovery.aws;

import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AwsInstancesTest {
    private static software.amazon.awssdk.services.autoscaling.model.Instance member(String id, String lifecycle, String health) {
        return software.amazon.awssdk.services.autoscaling.model.Instance.builder().instanceId(id).lifecycleState(lifecycle)
                .healthStatus(health).availabilityZone("us-east-1a").build();
    }

    private static Instance ec2(String id, String ip, InstanceStateName state, Map<String, String> tags) {
        return Instance.builder().instanceId(id).privateIpAddress(ip).state(s -> s.name(state))
                .placement(p -> p.availabilityZone("us-east-1b"))
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
                .build();
    }

    private static List<Reservation> reservations(Instance... instances) {
        return List.of(Reservation.builder().instances(instances).build());
    }

    @Test
    void onlyInServiceAndHealthyMembersServe() {
        AutoScalingGroup g = AutoScalingGroup.builder().autoScalingGroupName("web").instances(
                member("i-3", "InService", "Healthy"), member("i-1", "InService", "Healthy"),
                member("i-2", "Pending", "Healthy"), member("i-4", "InService", "Unhealthy"),
                member("i-5", "Terminating", "Healthy"), member("i-6", "Standby", "Healthy"),
                member("i-7", "InService:Wait", "Healthy")).build();
        assertThat(AwsInstances.serving(List.of(g))).containsExactly("i-1", "i-3");
    }

    @Test
    void requestedGroupsAwsDidNotAnswerForAreMissing() {
        AutoScalingGroup web = AutoScalingGroup.builder().autoScalingGroupName("web").build();
        assertThat(AwsInstances.missing(List.of("web", "wbe"), List.of(web))).containsExactly("wbe");
    }

    @Test
    void instancesBecomeEndpointsNamedByIdAtTheirPrivateAddressAndZone() {
        Parsed p = AwsInstances.endpoints(reservations(ec2("i-0abc", "10.0.1.5", InstanceStateName.RUNNING,
                Map.of("Name", "web server 1", "aws:autoscaling:groupName", "web", "role", "api", "hsdo.weight", "20"))), null, 8080);
        assertThat(p.endpoints()).containsExactly(new Endpoint("i-0abc", "10.0.1.5", 8080, null, "us-east-1b",
                Map.of("role", "api", "hsdo.weight", "20")));
        assertThat(p.rejected()).as("tags that are not ours and not safe are left out silently").isEmpty();
    }

    @Test
    void invalidOptionsAndInstancesWithoutAddressOrPortAreReported() {
        Parsed p = AwsInstances.endpoints(reservations(
                ec2("i-1", "10.0.0.1", InstanceStateName.RUNNING, Map.of("hsdo.maxconn", "5;shutdown sessions")),
                ec2("i-2", null, InstanceStateName.RUNNING, Map.of()),
                ec2("i-3", "10.0.0.3", InstanceStateName.RUNNING, Map.of("port", "http")),
                ec2("i-4", "10.0.0.4", InstanceStateName.RUNNING, Map.of()),
                ec2("i-5", "10.0.0.5", InstanceStateName.STOPPED, Map.of("port", "80"))), "port", null);
        assertThat(p.endpoints()).isEmpty();
        assertThat(p.rejected()).containsExactly(
                "instance 'i-1': no port (no tag port and no port configured)",
                "instance 'i-2': no private IP address",
                "instance 'i-3': tag port: invalid port 'http' (1..65535)",
                "instance 'i-4': no port (no tag port and no port configured)");
        Parsed withPort = AwsInstances.endpoints(reservations(
                ec2("i-1", "10.0.0.1", InstanceStateName.RUNNING, Map.of("hsdo.maxconn", "5;shutdown sessions", "port", "81"))), "port", 80);
        assertThat(withPort.endpoints()).containsExactly(new Endpoint("i-1", "10.0.0.1", 81, null, "us-east-1b", Map.of("port", "81")));
        assertThat(withPort.rejected()).containsExactly(
                "instance 'i-1': meta[hsdo.maxconn]: invalid value '5;shutdown sessions' skipped (printable, no space, ';', '#', quotes)");
    }
}
