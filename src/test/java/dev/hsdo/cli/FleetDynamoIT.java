package dev.hsdo.cli;

import dev.hsdo.model.Plan;
import dev.hsdo.store.dynamodb.DynamoFleetStore;
import dev.hsdo.testing.DynamoLocal;
import dev.hsdo.testing.Running;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code hsdo controller} processes and three agents with their own HAProxy over DynamoDB Local:
 * convergence, identical routing, a leader killed, an agent stopped and restarted, and a 10 000-server plan.
 */
class FleetDynamoIT {
    private static final Duration LEASE = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    @Test
    void controllersAndAgentsOverDynamoConvergeHandOverAndCarryTenThousandServers() throws Exception {
        DynamoLocal dynamo = DynamoLocal.start(dir.resolve("dynamo"));
        running.add(dynamo);
        DynamoFleetStore reader = new DynamoFleetStore("hsdo-fleet-it", "us-east-1", dynamo.endpoint(), "/fleet-it",
                Duration.ofMillis(200), Duration.ofSeconds(2), Clock.systemUTC());
        running.add(reader);
        String store = "{type: dynamodb, table: hsdo-fleet-it, region: us-east-1, endpoint: \"%s\", prefix: /fleet-it, poll-interval: 200ms, timeout: 2s}"
                .formatted(dynamo.endpoint());
        FleetHarness fleet = new FleetHarness(dir, store, reader, "o1", "o2", "o3", "o4", "o5");
        running.add(fleet);
        // 10 000 servers with health checks would be 15 000 checks a second on this machine.
        fleet.controllerEnv("AWS_ACCESS_KEY_ID", "test").controllerEnv("AWS_SECRET_ACCESS_KEY", "test")
                .backendOptions("health-check: {enabled: false}");
        fleet.startController("c1", LEASE);
        fleet.startController("c2", LEASE);
        for (String a : List.of("a1", "a2", "a3")) fleet.startAgent(a, "z");

        fleet.serve(List.of("o1", "o2", "o3"));
        fleet.awaitConverged(List.of("o1", "o2", "o3"));
        fleet.assertSameRouting(List.of("o1", "o2", "o3"));

        FleetHarness.ControllerProcess leader = fleet.awaitLeader();
        FleetHarness.ControllerProcess other = fleet.controllers().values().stream()
                .filter(c -> c != leader).findFirst().orElseThrow();
        Plan beforeHandover = fleet.awaitConverged(List.of("o1", "o2", "o3"));
        long killed = System.nanoTime();
        leader.kill();
        try {
            await().atMost(LEASE.plusSeconds(5)).pollInterval(Duration.ofMillis(20)).until(other::leads);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("controller " + other.id + " did not take over; its log:\n" + other.log(), e);
        }
        // The lock expires at most one TTL after the kill; a candidate looks every quarter TTL.
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThanOrEqualTo(LEASE.plus(LEASE.dividedBy(4)).plusMillis(500));

        fleet.stopAgent("a3");
        fleet.serve(List.of("o2", "o3", "o4", "o5"));
        Plan afterHandover = fleet.awaitConverged(List.of("o2", "o3", "o4", "o5"));
        assertThat(afterHandover.generation()).isEqualTo(beforeHandover.generation() + 1);
        fleet.startAgent("a3", "z");
        fleet.awaitConverged(List.of("o2", "o3", "o4", "o5"));
        fleet.assertSameRouting(List.of("o2", "o3", "o4", "o5"));

        // Every item of the table is deleted under the running fleet: the controller gives the store the plan in
        // force again in a new epoch, and the agents follow; a server added after the wipe reaches every HAProxy.
        Plan beforeWipe = fleet.awaitConverged(List.of("o2", "o3", "o4", "o5"));
        try (DynamoDbClient admin = DynamoDbClient.builder().endpointOverride(URI.create(dynamo.endpoint()))
                .region(Region.US_EAST_1).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            admin.scanPaginator(b -> b.tableName("hsdo-fleet-it")).items().forEach(item -> admin.deleteItem(b -> b
                    .tableName("hsdo-fleet-it").key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))));
        }
        fleet.serve(List.of("o1", "o2", "o3", "o4", "o5"));
        Plan afterWipe = fleet.awaitConverged(List.of("o1", "o2", "o3", "o4", "o5"));
        assertThat(afterWipe.epoch()).isGreaterThan(beforeWipe.epoch());
        fleet.assertSameRouting(List.of("o1", "o2", "o3", "o4", "o5"));

        List<String> entries = new ArrayList<>();
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String address = "127.1." + (i / 250) + "." + (i % 250 + 1);
            entries.add("address: " + address + ", port: 8080, weight: 1");
            identities.add(address + ":8080");
        }
        fleet.serveEntries(entries);
        Plan big = fleet.awaitIdentities(identities.stream().sorted().toList(), Duration.ofSeconds(90));
        assertThat(big.backend("app").servers()).hasSize(10_000);
        assertThat(fleet.agent("a2").agent().status().pending()).isEmpty();

        fleet.serve(List.of("o1", "o2"));
        fleet.awaitConverged(List.of("o1", "o2"));
        fleet.assertSameRouting(List.of("o1", "o2"));
    }
}
