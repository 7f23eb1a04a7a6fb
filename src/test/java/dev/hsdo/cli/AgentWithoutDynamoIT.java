package dev.hsdo.cli;

import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import dev.hsdo.store.dynamodb.DynamoFleetStore;
import dev.hsdo.testing.DynamoLocal;
import dev.hsdo.testing.Running;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent started while DynamoDB (Local, in this JVM) is down: it starts with its HAProxy, says that the
 * store is failing, keeps trying, and follows the store once it is back.
 */
class AgentWithoutDynamoIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    @Test
    void agentStartedWhileDynamoIsDownStartsAndFollowsTheStoreWhenItIsBack() throws Exception {
        DynamoLocal dynamo = running.add(DynamoLocal.start(dir.resolve("dynamo")));
        DynamoFleetStore writer = running.add(new DynamoFleetStore("hsdo-agent-it", "us-east-1", dynamo.endpoint(), "/a",
                Duration.ofMillis(200), Duration.ofSeconds(5), Clock.systemUTC()));
        String store = "{type: dynamodb, table: hsdo-agent-it, region: us-east-1, endpoint: \"%s\", prefix: /a, poll-interval: 200ms, timeout: 1s}"
                .formatted(dynamo.endpoint());
        FleetHarness fleet = running.add(new FleetHarness(dir, store, writer, "o1", "o2"));

        dynamo.stop();
        AgentNode agent = fleet.startAgent("a1", "{agent-id: a1, status-ttl: 3s}", "");
        assertThat(agent.status().get("store")).asString().contains("healthy=false");
        assertThat(agent.haproxy().pid()).as("HAProxy runs").isPositive();

        dynamo.startServer();
        int port1 = fleet.originPorts().get("o1");
        int port2 = fleet.originPorts().get("o2");
        Plan plan = Plan.of(1, List.of(new BackendPlan("app", List.of(
                new ServerPlan("o1", 1, "127.0.0.1:" + port1, "127.0.0.1", port1, 100, ServerState.READY, null,
                        ServerOptions.defaults(), null),
                new ServerPlan("o2", 2, "127.0.0.1:" + port2, "127.0.0.1", port2, 100, ServerState.READY, null,
                        ServerOptions.defaults(), null)), null)));
        writer.plans().publish(plan, 0);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> agent.agent().status().converged() && agent.agent().status().appliedGeneration() == 1);
        assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2").contains("o1", "o2");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.status().get("store").toString().contains("healthy=true"));
    }
}
