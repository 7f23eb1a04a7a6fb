package dev.hsdo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.model.Plan;
import dev.hsdo.store.etcd.EtcdFleetStore;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Running;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One or two {@code hsdo controller} processes and three agents, each with its own HAProxy, over a real
 * etcd: a single member, then a three-member cluster that loses a member and the leading controller.
 */
class FleetEtcdIT {
    private static final String PREFIX = "/fleet-it";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    private FleetHarness fleet(EtcdCluster etcd, String... origins) {
        EtcdFleetStore reader = new EtcdFleetStore(etcd.endpoints(), PREFIX, Duration.ofSeconds(2), Duration.ofSeconds(1));
        running.add(reader);
        String store = "{type: etcd, endpoints: [%s], prefix: %s, poll-interval: 1s, timeout: %dms}"
                .formatted(String.join(", ", etcd.endpoints()), PREFIX, STORE_TIMEOUT.toMillis());
        FleetHarness h = new FleetHarness(dir, store, reader, origins);
        running.add(h);
        return h;
    }

    @Test
    void agentsOnOneEtcdMemberConvergeRouteAlikeAndCatchUpAfterAStopOrAStoreOutage() throws Exception {
        EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 1);
        running.add(etcd);
        FleetHarness fleet = fleet(etcd, "o1", "o2", "o3", "o4", "o5", "o6");
        FleetHarness.ControllerProcess controller = fleet.startController("c1", LEASE);
        for (String a : List.of("a1", "a2", "a3")) fleet.startAgent(a, "z" + a.charAt(1));

        fleet.serve(List.of("o1", "o2", "o3", "o4"));
        Plan p1 = fleet.awaitConverged(List.of("o1", "o2", "o3", "o4"));
        Map<String, String> before = fleet.assertSameRouting(List.of("o1", "o2", "o3", "o4"));

        fleet.serve(List.of("o4", "o3", "o1", "o5"));
        Plan p2 = fleet.awaitConverged(List.of("o1", "o3", "o4", "o5"));
        assertThat(p2.generation()).isGreaterThan(p1.generation());
        Map<String, String> after = fleet.assertSameRouting(List.of("o1", "o3", "o4", "o5"));
        before.forEach((uri, owner) -> {
            if (!owner.equals("o2")) assertThat(after.get(uri)).as("key %s stays on %s", uri, owner).isIn(owner, "o5");
        });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode fleetStatus = controller.status().path("fleet");
            assertThat(fleetStatus.path("generation").asLong()).isEqualTo(p2.generation());
            assertThat(fleetStatus.path("converged").asInt()).isEqualTo(3);
            assertThat(fleetStatus.path("agents").findValuesAsText("id")).containsExactly("a1", "a2", "a3");
            assertThat(fleetStatus.path("agents").get(0).path("haproxyVersion").asText()).isEqualTo(HaproxyFixture.installedVersion());
            assertThat(fleetStatus.path("agents").get(1).path("zone").asText()).isEqualTo("z2");
        });

        // A stopped agent is shown behind, and catches up when it comes back.
        fleet.stopAgent("a3");
        fleet.serve(List.of("o1", "o3", "o4", "o5", "o6"));
        Plan p3 = fleet.awaitConverged(List.of("o1", "o3", "o4", "o5", "o6"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode agents = controller.status().path("fleet").path("agents");
            assertThat(agents.get(2).path("id").asText()).isEqualTo("a3");
            assertThat(agents.get(2).path("behind").asLong()).isEqualTo(p3.generation() - p2.generation());
            assertThat(agents.get(0).path("behind").asLong()).isZero();
        });
        fleet.startAgent("a3", "z3");
        fleet.awaitConverged(List.of("o1", "o3", "o4", "o5", "o6"));
        fleet.assertSameRouting(List.of("o1", "o3", "o4", "o5", "o6"));

        // The store goes away: agents keep serving their last plan, and catch up once it is back.
        etcd.kill(0);
        Map<String, String> during = fleet.routing("a1");
        assertThat(during.values()).contains("o6");
        fleet.serve(List.of("o1", "o3", "o4", "o5"));
        etcd.restart(0);
        Plan beforeWipe = fleet.awaitConverged(List.of("o1", "o3", "o4", "o5"));
        fleet.assertSameRouting(List.of("o1", "o3", "o4", "o5"));

        // The store is wiped under the running fleet: the controller gives it the plan in force again in a new
        // epoch, and the agents follow that epoch; a server added after the wipe reaches every HAProxy.
        try (Client admin = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
            admin.getKVClient().delete(ByteSequence.from(PREFIX + "/", StandardCharsets.UTF_8),
                    DeleteOption.builder().isPrefix(true).build()).get();
        }
        fleet.serve(List.of("o1", "o2", "o3", "o4", "o5"));
        Plan afterWipe = fleet.awaitConverged(List.of("o1", "o2", "o3", "o4", "o5"));
        assertThat(afterWipe.epoch()).isGreaterThan(beforeWipe.epoch());
        fleet.assertSameRouting(List.of("o1", "o2", "o3", "o4", "o5"));
    }

    @Test
    void aThreeMemberClusterSurvivesAMemberAndTheLeadingControllerDyingWithoutLosingAGeneration() throws Exception {
        EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), 3);
        running.add(etcd);
        List<Long> written = new CopyOnWriteArrayList<>();
        Client watcher = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
        running.add(watcher);
        running.add(watcher.getWatchClient().watch(ByteSequence.from(PREFIX + "/generation", StandardCharsets.UTF_8),
                Watch.listener(r -> r.getEvents().stream().filter(e -> e.getEventType() == WatchEvent.EventType.PUT)
                        .forEach(e -> written.add(Long.parseLong(e.getKeyValue().getValue().toString(StandardCharsets.UTF_8)))))));

        FleetHarness fleet = fleet(etcd, "o1", "o2", "o3", "o4", "o5");
        fleet.startController("c1", LEASE);
        fleet.startController("c2", LEASE);
        for (String a : List.of("a1", "a2", "a3")) fleet.startAgent(a, "z");

        fleet.serve(List.of("o1", "o2", "o3"));
        fleet.awaitConverged(List.of("o1", "o2", "o3"));
        fleet.assertSameRouting(List.of("o1", "o2", "o3"));

        // The member that leads raft dies as the servers change: requests caught by it are issued again
        // within 300 ms instead of waiting out the store timeout (5.2 s before).
        await().atMost(Duration.ofSeconds(5)).until(() -> etcd.raftLeader() >= 0);
        etcd.kill(etcd.raftLeader());
        long memberKilled = System.nanoTime();
        fleet.serve(List.of("o1", "o2", "o3", "o4"));
        Plan beforeHandover = fleet.awaitConverged(List.of("o1", "o2", "o3", "o4"));
        Duration converged = Duration.ofNanos(System.nanoTime() - memberKilled);
        System.out.printf("raft leader killed: every agent applied the change after %d ms%n", converged.toMillis());
        // Measured here 0.9-1.2 s (raft elects a new leader in ~1 s); the target is 1.5 s. The bound leaves room for
        // a loaded CI machine and still fails when requests wait out the 5 s store timeout, as they did.
        assertThat(converged).as("change applied everywhere after the raft leader died").isLessThan(Duration.ofMillis(3000));
        fleet.assertSameRouting(List.of("o1", "o2", "o3", "o4"));

        FleetHarness.ControllerProcess leader = fleet.awaitLeader();
        FleetHarness.ControllerProcess other = fleet.controllers().values().stream()
                .filter(c -> c != leader).findFirst().orElseThrow();
        long killed = System.nanoTime();
        leader.kill();
        await().atMost(LEASE.plusSeconds(5)).pollInterval(Duration.ofMillis(20)).until(other::leads);
        Duration handover = Duration.ofNanos(System.nanoTime() - killed);
        // The lease ends at most one TTL after the dead leader's last renewal; etcd looks for expired leases
        // every 500 ms, and the follower reacts to the key's deletion at once.
        assertThat(handover).as("handover after the leader died").isLessThanOrEqualTo(LEASE.plusSeconds(1));

        fleet.serve(List.of("o2", "o3", "o4", "o5"));
        Plan afterHandover = fleet.awaitConverged(List.of("o2", "o3", "o4", "o5"));
        fleet.assertSameRouting(List.of("o2", "o3", "o4", "o5"));
        assertThat(afterHandover.generation()).isEqualTo(beforeHandover.generation() + 1);
        assertThat(written).as("every generation written exactly once, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, afterHandover.generation()).boxed().toList());
        assertThat(Http.canConnect(leader.adminPort)).isFalse();
    }
}
