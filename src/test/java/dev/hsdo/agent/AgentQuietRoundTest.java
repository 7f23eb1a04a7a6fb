package dev.hsdo.agent;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
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

/** What an agent asks HAProxy on a round where nothing changed: the state dump only, and the stat dump now and then. */
class AgentQuietRoundTest {
    static final String EMPTY_STATE = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state"
            + " srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl"
            + " srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";
    static final String EMPTY_STAT = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,status,weight,bck\n";

    /** An HAProxy without servers that records every batch of commands it is sent. */
    private static final class RecordingHaproxy implements RuntimeApi {
        final List<List<String>> batches = new ArrayList<>();

        @Override
        public List<Reply> execute(List<String> commands) {
            batches.add(List.copyOf(commands));
            return commands.stream().map(c -> new Reply(c, c.equals("show servers state") ? EMPTY_STATE
                    : c.startsWith("show stat") ? EMPTY_STAT : "", null)).toList();
        }

        @Override
        public void close() {}
    }

    @Test
    void quietRoundsAndPlansThatKeepTheServersReadOnlyTheStateDumpAndEveryFifthOrServerChangingRoundReadsStatsToo() {
        HsdoConfig config = Configs.standard(Path.of("/nonexistent/hsdo"), 8080, Duration.ZERO, 1.0);
        RecordingHaproxy haproxy = new RecordingHaproxy();
        Agent agent = new Agent(config, haproxy, null, null, null, Clock.systemUTC(), new AgentMetrics(new SimpleMeterRegistry()));
        agent.offer(Plans.of(1, 0));
        for (int round = 0; round < 6; round++) assertThat(agent.reconcileOnce()).matches(AgentStatus::converged);
        // A plan with the same servers (it moves tenants, say): nothing of the servers to check again.
        agent.offer(Plans.of(2, 0));
        agent.reconcileOnce();
        // A plan whose backends differ (here only in what the guard holds back): read in full.
        agent.offer(dev.hsdo.model.Plan.of(3, List.of(new dev.hsdo.model.BackendPlan("app", List.of(), "held back"))));
        agent.reconcileOnce();

        List<String> full = List.of("show servers state", "show stat -1 4 -1");
        List<String> quiet = List.of("show servers state");
        assertThat(haproxy.batches).containsExactly(
                full,                                   // a new plan
                quiet, quiet, quiet, quiet,             // nothing changed
                full,                                   // maxconn or backup changed by hand shows within 5 rounds
                quiet,                                  // the next plan, servers unchanged
                full);                                  // a plan that changes the backends
    }
}
