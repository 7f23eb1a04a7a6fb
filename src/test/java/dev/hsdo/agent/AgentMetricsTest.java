package dev.hsdo.agent;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.Plans;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's metrics that alerts are built on. */
class AgentMetricsTest {
    /** An HAProxy without servers whose Runtime API can be made to refuse connections. */
    private static final class SwitchableHaproxy implements RuntimeApi {
        volatile boolean down;

        @Override
        public List<Reply> execute(List<String> commands) throws RuntimeApiException {
            if (down) throw new RuntimeApiException("connection refused");
            return commands.stream().map(c -> new Reply(c, c.equals("show servers state") ? AgentQuietRoundTest.EMPTY_STATE
                    : c.startsWith("show stat") ? AgentQuietRoundTest.EMPTY_STAT : "", null)).toList();
        }

        @Override
        public void close() {}
    }

    @Test
    void haproxyReachableFollowsTheRuntimeApiAndAppliedStaysBehindDesiredWhileItIsDown() {
        HsdoConfig config = Configs.standard(Path.of("/nonexistent/hsdo"), 8080, Duration.ZERO, 1.0);
        SwitchableHaproxy haproxy = new SwitchableHaproxy();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Agent agent = new Agent(config, haproxy, null, null, null, Clock.systemUTC(), new AgentMetrics(registry));
        assertThat(gauge(registry, "hsdo.haproxy.reachable")).isZero();

        agent.offer(Plans.of(1, 0));
        agent.reconcileOnce();
        assertThat(gauge(registry, "hsdo.haproxy.reachable")).isEqualTo(1);

        haproxy.down = true;
        agent.offer(Plans.of(2, 0));
        agent.reconcileOnce();
        assertThat(gauge(registry, "hsdo.haproxy.reachable")).isZero();
        assertThat(gauge(registry, "hsdo.plan.generation.desired")).isEqualTo(2);
        assertThat(gauge(registry, "hsdo.plan.generation.applied")).isEqualTo(1);

        haproxy.down = false;
        agent.reconcileOnce();
        assertThat(gauge(registry, "hsdo.haproxy.reachable")).isEqualTo(1);
        assertThat(gauge(registry, "hsdo.plan.generation.applied")).isEqualTo(2);
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
