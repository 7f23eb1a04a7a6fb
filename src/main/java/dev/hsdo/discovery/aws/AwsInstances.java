package dev.hsdo.discovery.aws;

import dev.hsdo.discovery.MetaCollector;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Tokens;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns what the AWS APIs answered into endpoints. Pure: works on the SDK's model objects (what the SDK
 * made of the XML), never on a client.
 *
 * <p>An instance becomes an endpoint named by its instance id (stable for the instance's life, so its
 * server id and place on the ring are too), at its private IPv4 address, in its availability zone. Its
 * tags become metadata when key and value are safe to carry; others (AWS's own {@code aws:*} tags, a
 * {@code Name} with spaces) are left out silently, except {@code hsdo.} options, which are checked and
 * reported.
 */
final class AwsInstances {
    private AwsInstances() {}

    /** The ids of the instances that serve: {@code InService} and {@code Healthy}, in id order. */
    static List<String> serving(List<AutoScalingGroup> groups) {
        Set<String> ids = new TreeSet<>();
        for (AutoScalingGroup g : groups)
            for (var i : g.instances())
                if (i.lifecycleState() == LifecycleState.IN_SERVICE && "Healthy".equalsIgnoreCase(i.healthStatus()))
                    ids.add(i.instanceId());
        return List.copyOf(ids);
    }

    /** The requested group names AWS did not answer for (a typo, another region, missing permissions). */
    static List<String> missing(List<String> requested, List<AutoScalingGroup> groups) {
        Set<String> found = new TreeSet<>();
        for (AutoScalingGroup g : groups) found.add(g.autoScalingGroupName());
        return requested.stream().filter(r -> !found.contains(r)).toList();
    }

    /**
     * The running instances of {@code reservations} as endpoints.
     *
     * @param portTag     the tag giving an instance's port, or null to use {@code defaultPort} for all
     * @param defaultPort the port of instances without a port tag, or null (then they are rejected)
     */
    static Parsed endpoints(List<Reservation> reservations, String portTag, Integer defaultPort) {
        List<Endpoint> endpoints = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Reservation r : reservations) {
            for (Instance i : r.instances()) {
                if (i.state() != null && i.state().name() != InstanceStateName.RUNNING) continue;
                if (!seen.add(i.instanceId())) continue;
                String where = "instance " + Tokens.show(i.instanceId());
                try {
                    if (i.privateIpAddress() == null) throw new IllegalArgumentException("no private IP address");
                    int port = port(i, portTag, defaultPort);
                    MetaCollector meta = new MetaCollector(where, rejected);
                    for (Tag t : i.tags()) {
                        if (t.key().startsWith("hsdo.") || (Tokens.isMetaKey(t.key()) && Tokens.isMetaValue(t.value())))
                            meta.put(t.key(), t.value());
                    }
                    String zone = i.placement() == null ? null : i.placement().availabilityZone();
                    endpoints.add(new Endpoint(i.instanceId(), i.privateIpAddress(), port, null, zone, meta.meta()));
                } catch (IllegalArgumentException e) {
                    rejected.add(where + ": " + e.getMessage());
                }
            }
        }
        return new Parsed(endpoints, rejected);
    }

    private static int port(Instance i, String portTag, Integer defaultPort) {
        if (portTag != null) {
            for (Tag t : i.tags()) {
                if (!t.key().equals(portTag)) continue;
                String v = t.value();
                if (v != null && v.matches("[0-9]{1,5}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 65535)
                    return Integer.parseInt(v);
                throw new IllegalArgumentException("tag " + portTag + ": invalid port " + Tokens.show(v) + " (1..65535)");
            }
        }
        if (defaultPort == null) throw new IllegalArgumentException("no port (no tag " + portTag + " and no port configured)");
        return defaultPort;
    }
}
