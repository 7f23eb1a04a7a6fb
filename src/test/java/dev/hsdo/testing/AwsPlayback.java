package dev.hsdo.testing;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays back the two AWS Query APIs the AWS sources call, in their documented XML: Auto Scaling's
 * {@code DescribeAutoScalingGroups} (2011-01-01) and EC2's {@code DescribeInstances} (2016-11-15), with
 * {@code NextToken} pagination, the {@code tag:*} and {@code instance-state-name} filters, and scripted
 * errors (throttling, server errors, malformed XML). Point the SDK clients here with
 * {@code endpointOverride}. Listens on 127.0.0.1 only.
 */
public final class AwsPlayback implements AutoCloseable {
    private static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /**
     * One request as received.
     *
     * @param action        the Action parameter
     * @param params        every form parameter
     * @param authorization the Authorization header (the SDK's SigV4 signature)
     */
    public record Request(String action, Map<String, String> params, String authorization) {
    }

    /** A member of an Auto Scaling group, as DescribeAutoScalingGroups lists it. */
    public record GroupMember(String id, String zone, String lifecycleState, String healthStatus) {
        /** An InService, Healthy member. */
        public static GroupMember serving(String id, String zone) {
            return new GroupMember(id, zone, "InService", "Healthy");
        }
    }

    /** An EC2 instance, as DescribeInstances lists it. */
    public record Ec2Instance(String id, String privateIp, String zone, String state, Map<String, String> tags) {
        /** A running instance. */
        public static Ec2Instance running(String id, String privateIp, String zone, Map<String, String> tags) {
            return new Ec2Instance(id, privateIp, zone, "running", tags);
        }
    }

    private record Fault(int status, String body) {
    }

    private final Object lock = new Object();
    // All guarded by lock.
    private final Map<String, List<GroupMember>> groups = new LinkedHashMap<>();
    private final Map<String, Ec2Instance> instances = new LinkedHashMap<>();
    private final Map<String, Deque<Fault>> scripted = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private Fault fault;
    private int groupPage = 50;
    private int instancePage = 1000;
    private final LoopbackServer server = new LoopbackServer(null, "/", this::handle);

    private AwsPlayback() {
    }

    /** Starts on a free loopback port. */
    public static AwsPlayback start() {
        return new AwsPlayback();
    }

    /** The endpoint to give the SDK clients. */
    public URI endpoint() {
        return server.uri();
    }

    /** Sets an Auto Scaling group's members. */
    public void group(String name, GroupMember... members) {
        synchronized (lock) {
            groups.put(name, List.of(members));
        }
    }

    /** Adds or replaces EC2 instances. */
    public void instances(Ec2Instance... list) {
        synchronized (lock) {
            for (Ec2Instance i : list) instances.put(i.id(), i);
        }
    }

    /** How many groups and instances one page holds at most (fewer than the caller's maximum, as AWS may do). */
    public void pageSizes(int groupsPerPage, int instancesPerPage) {
        synchronized (lock) {
            groupPage = groupsPerPage;
            instancePage = instancesPerPage;
        }
    }

    /** The next {@code times} calls of {@code action} fail with this AWS error. */
    public void failNext(String action, int times, int status, String code, String message) {
        String body = action.equals("DescribeAutoScalingGroups")
                ? "<ErrorResponse xmlns=\"" + ASG_NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + xml(message) + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>"
                : "<Response><Errors><Error><Code>" + code + "</Code><Message>" + xml(message)
                + "</Message></Error></Errors><RequestID>" + UUID.randomUUID() + "</RequestID></Response>";
        synchronized (lock) {
            Deque<Fault> q = scripted.computeIfAbsent(action, k -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) q.add(new Fault(status, body));
        }
    }

    /** From now on every call gets {@code status} with {@code body}. */
    public void fault(int status, String body) {
        synchronized (lock) {
            fault = new Fault(status, body);
        }
    }

    /** Ends every fault, scripted or not. */
    public void clearFaults() {
        synchronized (lock) {
            fault = null;
            scripted.clear();
        }
    }

    /** The calls of {@code action} so far. */
    public List<Request> requests(String action) {
        synchronized (lock) {
            return requests.stream().filter(r -> r.action().equals(action)).toList();
        }
    }

    /** Stops listening, as an unreachable endpoint. */
    public void stop() {
        server.stop();
    }

    /** Listens again on the same port with the same state. */
    public void restart() {
        server.restart();
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> params = LoopbackServer.form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = params.getOrDefault("Action", "");
            Fault f;
            String body;
            synchronized (lock) {
                requests.add(new Request(action, params, ex.getRequestHeaders().getFirst("Authorization")));
                Deque<Fault> q = scripted.get(action);
                f = fault != null ? fault : q == null ? null : q.poll();
                body = f != null ? null : switch (action) {
                    case "DescribeAutoScalingGroups" -> describeGroups(params);
                    case "DescribeInstances" -> describeInstances(params);
                    default -> null;
                };
            }
            if (f == null && body == null) f = new Fault(400, "<Response><Errors><Error><Code>InvalidAction</Code><Message>"
                    + xml(action) + "</Message></Error></Errors></Response>");
            if (f == null && body.startsWith("<Response><Errors>")) f = new Fault(400, body);
            byte[] bytes = (f != null ? f.body() : body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            ex.sendResponseHeaders(f != null ? f.status() : 200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    private String describeGroups(Map<String, String> p) {
        List<String> names = members(p, "AutoScalingGroupNames.member.");
        List<String> found = names.stream().filter(groups::containsKey).toList();
        int from = token(p.get("NextToken"));
        int to = Math.min(found.size(), from + groupPage);
        StringBuilder b = new StringBuilder("<DescribeAutoScalingGroupsResponse xmlns=\"" + ASG_NS + "\">\n"
                + "  <DescribeAutoScalingGroupsResult>\n    <AutoScalingGroups>\n");
        for (String name : found.subList(from, to)) {
            List<GroupMember> members = groups.get(name);
            b.append("      <member>\n        <AutoScalingGroupName>").append(xml(name)).append("</AutoScalingGroupName>\n")
                    .append("        <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:")
                    .append(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))).append(":autoScalingGroupName/")
                    .append(xml(name)).append("</AutoScalingGroupARN>\n")
                    .append("        <MinSize>0</MinSize>\n        <MaxSize>10</MaxSize>\n        <DesiredCapacity>")
                    .append(members.size()).append("</DesiredCapacity>\n        <DefaultCooldown>300</DefaultCooldown>\n")
                    .append("        <AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member></AvailabilityZones>\n")
                    .append("        <HealthCheckType>ELB</HealthCheckType>\n        <HealthCheckGracePeriod>300</HealthCheckGracePeriod>\n")
                    .append("        <CreatedTime>2026-01-01T00:00:00.000Z</CreatedTime>\n        <Instances>\n");
            for (GroupMember m : members) {
                b.append("          <member>\n            <InstanceId>").append(xml(m.id())).append("</InstanceId>\n")
                        .append("            <InstanceType>t3.micro</InstanceType>\n")
                        .append("            <AvailabilityZone>").append(xml(m.zone())).append("</AvailabilityZone>\n")
                        .append("            <LifecycleState>").append(xml(m.lifecycleState())).append("</LifecycleState>\n")
                        .append("            <HealthStatus>").append(xml(m.healthStatus())).append("</HealthStatus>\n")
                        .append("            <ProtectedFromScaleIn>false</ProtectedFromScaleIn>\n          </member>\n");
            }
            b.append("        </Instances>\n        <Tags/>\n        <TerminationPolicies><member>Default</member></TerminationPolicies>\n")
                    .append("      </member>\n");
        }
        b.append("    </AutoScalingGroups>\n");
        if (to < found.size()) b.append("    <NextToken>asg-").append(to).append("</NextToken>\n");
        b.append("  </DescribeAutoScalingGroupsResult>\n  <ResponseMetadata><RequestId>").append(UUID.randomUUID())
                .append("</RequestId></ResponseMetadata>\n</DescribeAutoScalingGroupsResponse>\n");
        return b.toString();
    }

    private String describeInstances(Map<String, String> p) {
        List<String> ids = members(p, "InstanceId.");
        List<Ec2Instance> selected = new ArrayList<>();
        for (String id : ids) {
            Ec2Instance i = instances.get(id);
            if (i == null) return "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID '"
                    + xml(id) + "' does not exist</Message></Error></Errors><RequestID>" + UUID.randomUUID() + "</RequestID></Response>";
            selected.add(i);
        }
        if (ids.isEmpty()) selected.addAll(instances.values());
        for (int f = 1; p.containsKey("Filter." + f + ".Name"); f++) {
            String name = p.get("Filter." + f + ".Name");
            List<String> values = members(p, "Filter." + f + ".Value.");
            selected.removeIf(i -> !values.contains(name.startsWith("tag:") ? i.tags().get(name.substring(4))
                    : name.equals("instance-state-name") ? i.state() : null));
        }
        int from = token(p.get("NextToken"));
        int pageSize = p.containsKey("MaxResults") ? Math.min(instancePage, Integer.parseInt(p.get("MaxResults"))) : selected.size();
        int to = Math.min(selected.size(), from + Math.max(1, pageSize));
        StringBuilder b = new StringBuilder("<DescribeInstancesResponse xmlns=\"" + EC2_NS + "\">\n  <requestId>")
                .append(UUID.randomUUID()).append("</requestId>\n  <reservationSet>\n");
        for (Ec2Instance i : selected.subList(from, to)) {
            b.append("    <item>\n      <reservationId>r-").append(xml(i.id().substring(2))).append("</reservationId>\n")
                    .append("      <ownerId>123456789012</ownerId>\n      <groupSet/>\n      <instancesSet>\n        <item>\n")
                    .append("          <instanceId>").append(xml(i.id())).append("</instanceId>\n")
                    .append("          <imageId>ami-0abcdef1234567890</imageId>\n")
                    .append("          <instanceState><code>").append(i.state().equals("running") ? 16 : 0).append("</code><name>")
                    .append(xml(i.state())).append("</name></instanceState>\n");
            if (i.privateIp() != null) {
                b.append("          <privateDnsName>ip-").append(i.privateIp().replace('.', '-')).append(".ec2.internal</privateDnsName>\n")
                        .append("          <privateIpAddress>").append(xml(i.privateIp())).append("</privateIpAddress>\n");
            }
            b.append("          <dnsName/>\n          <instanceType>t3.micro</instanceType>\n")
                    .append("          <launchTime>2026-01-01T00:00:00.000Z</launchTime>\n")
                    .append("          <placement><availabilityZone>").append(xml(i.zone()))
                    .append("</availabilityZone><groupName/><tenancy>default</tenancy></placement>\n")
                    .append("          <tagSet>\n");
            i.tags().forEach((k, v) -> b.append("            <item><key>").append(xml(k)).append("</key><value>").append(xml(v))
                    .append("</value></item>\n"));
            b.append("          </tagSet>\n        </item>\n      </instancesSet>\n    </item>\n");
        }
        b.append("  </reservationSet>\n");
        if (to < selected.size()) b.append("  <nextToken>ec2-").append(to).append("</nextToken>\n");
        return b.append("</DescribeInstancesResponse>\n").toString();
    }

    /** Values of {@code prefix1}, {@code prefix2}, ... in order. */
    private static List<String> members(Map<String, String> p, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; p.containsKey(prefix + i); i++) out.add(p.get(prefix + i));
        return out;
    }

    private static int token(String t) {
        return t == null ? 0 : Integer.parseInt(t.substring(t.indexOf('-') + 1));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
