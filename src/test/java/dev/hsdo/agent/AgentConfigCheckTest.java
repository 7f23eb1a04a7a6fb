package dev.hsdo.agent;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.model.Plan;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.Plans;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When the agent runs {@code haproxy -c} on the file it writes: only when more than server lines changed. */
class AgentConfigCheckTest {
    private static final String EMPTY_STATE = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state"
            + " srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl"
            + " srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    /** An HAProxy that accepts every command and never has a server: enough to drive config writes. */
    private static final class EmptyHaproxy implements RuntimeApi {
        @Override
        public List<Reply> execute(List<String> commands) {
            return commands.stream().map(c -> new Reply(c, c.equals("show servers state") ? EMPTY_STATE : "", null)).toList();
        }

        @Override
        public void close() {}
    }

    /** Records how each text was written. */
    private static final class RecordingTarget implements ConfigTarget {
        final List<String> calls = new ArrayList<>();

        @Override
        public void writeChecked(String config) {
            calls.add("checked");
        }

        @Override
        public void write(String config) {
            calls.add("unchecked");
        }

        @Override
        public void reload() {
            calls.add("reload");
        }
    }

    // Only rendered into the config text: the recording target writes nothing.
    private final Path dir = Path.of("/nonexistent/hsdo");
    private final RuntimePaths paths = RuntimePaths.in(dir.resolve("run"));

    private Agent agent(HsdoConfig config, String running, RecordingTarget target) {
        return new Agent(config, new EmptyHaproxy(), target, paths, running, Clock.systemUTC(),
                new AgentMetrics(new SimpleMeterRegistry()));
    }

    private static Plan plan(long generation, int servers) {
        return Plans.of(generation, servers);
    }

    @Test
    void serverOnlyChangesAreWrittenWithoutACheckAndNeverReload() {
        HsdoConfig config = Configs.standard(dir, 8080, Duration.ZERO, 1.0);
        RecordingTarget target = new RecordingTarget();
        Agent agent = agent(config, ConfigRenderer.render(config, Plan.empty(), paths), target);
        agent.offer(plan(1, 2));
        agent.reconcileOnce();
        agent.offer(plan(2, 3));
        agent.reconcileOnce();
        assertThat(target.calls).containsExactly("unchecked", "unchecked");
    }

    @Test
    void aChangeBeyondServersIsCheckedAndReloadedAndLaterServerChangesAreNot() {
        HsdoConfig config = Configs.standard(dir, 8080, Duration.ZERO, 1.0);
        HsdoConfig before = Configs.standard(dir, 9090, Duration.ZERO, 1.0);
        RecordingTarget target = new RecordingTarget();
        Agent agent = agent(config, ConfigRenderer.render(before, Plan.empty(), paths), target);
        agent.offer(plan(1, 2));
        agent.reconcileOnce();
        agent.offer(plan(2, 3));
        agent.reconcileOnce();
        assertThat(target.calls).containsExactly("checked", "reload", "unchecked");
    }

    @Test
    void aPlanOfANewerStoreEpochIsFollowedEvenWithALowerGeneration() {
        HsdoConfig config = Configs.standard(dir, 8080, Duration.ZERO, 1.0);
        Agent agent = agent(config, ConfigRenderer.render(config, Plan.empty(), paths), new RecordingTarget());
        agent.offer(plan(50, 2).withEpoch(3));
        agent.offer(plan(1, 3).withEpoch(4));
        assertThat(agent.desired().generation()).as("the reset store's first plan").isEqualTo(1);
        agent.offer(plan(49, 2).withEpoch(3));
        assertThat(agent.desired().epoch()).as("an old epoch's plan does not come back").isEqualTo(4);
    }
}
