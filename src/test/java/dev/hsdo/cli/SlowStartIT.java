package dev.hsdo.cli;

import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.SlowStartConfig;
import dev.hsdo.controller.Controller;
import dev.hsdo.controller.ControllerMetrics;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.store.file.FilePlanStore;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.FixedSource;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow start end to end on a fake clock: the controller steps a joining server's weight, and three agents
 * with their own HAProxy report the same weight at every step.
 */
class SlowStartIT {
    private static final SlowStartConfig HSDO = new SlowStartConfig(true, 1, 10, 1, Duration.ofSeconds(30));

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    private HsdoConfig config(Path home) {
        HsdoConfig c = Configs.standard(home, Ports.free(), Duration.ZERO, 1.0);
        return Configs.withBackends(c, List.of(Configs.withSlowStart(c.backend("app"), HSDO)));
    }

    @Test
    void everyAgentAppliesTheSameStepAtTheSameGenerationFromMinToFullWeight() throws Exception {
        Origins origins = Origins.start(dir, "o1", "o2", "o3");
        running.add(origins);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        FilePlanStore store = new FilePlanStore(dir.resolve("plan.json"), Duration.ofHours(1));
        running.add(store);
        Endpoint o1 = Endpoint.of("127.0.0.1", origins.port("o1"));
        Endpoint o2 = Endpoint.of("127.0.0.1", origins.port("o2"));
        Endpoint o3 = Endpoint.of("127.0.0.1", origins.port("o3"));
        FixedSource source = new FixedSource("servers", List.of(o1, o2));
        Controller controller = new Controller(config(dir), List.of(source), store, clock,
                new ControllerMetrics(new SimpleMeterRegistry()));
        running.add(controller);
        Plan first = controller.start();

        List<LocalHaproxy> agents = new ArrayList<>();
        for (String name : List.of("a1", "a2", "a3")) {
            LocalHaproxy agent = LocalHaproxy.start(config(Files.createDirectories(dir.resolve(name))), first,
                    Clock.systemUTC(), new AgentMetrics(new SimpleMeterRegistry()));
            running.add(agent);
            store.watch(agent.agent()::offer);
            agents.add(agent);
        }

        source.set(List.of(o1, o2, o3));
        String joiner = "127.0.0.1:" + origins.port("o3");
        for (int step = 1; step <= 10; step++) {
            Plan plan = controller.planOnce();
            int expected = step * 10;
            assertThat(plan.backend("app").server(joiner).weight()).isEqualTo(expected);
            for (LocalHaproxy a : agents) {
                await().atMost(Duration.ofSeconds(10)).until(() -> a.agent().status().appliedGeneration() == plan.generation());
                ServerStateRow row = a.api().showServersState("app").stream()
                        .filter(r -> r.serverName().equals(joiner)).findFirst().orElseThrow();
                assertThat(row.userWeight()).as("step %d", step).isEqualTo(expected);
            }
            clock.advance(Duration.ofSeconds(29));
            assertThat(controller.planOnce()).as("no step before the interval").isEqualTo(plan);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(controller.current().backend("app").server(joiner).rampSince()).isNull();
    }
}
