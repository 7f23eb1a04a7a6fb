package dev.hsdo.agent;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.PeerConfig;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload for a peer change waits until HAProxy has finished learning its stick tables, and afterwards sends the
 * active/backup entry again so that every peer has it. The HAProxy is a hand-written fake that answers
 * {@code show peers} with the flags HAProxy 2.6.12 printed (see {@code PeersParserTest}).
 */
class AgentPeersReloadTest {
    private static final Path DIR = Path.of("/nonexistent/hsdo");
    private static final RuntimePaths PATHS = RuntimePaths.in(DIR.resolve("run"));
    private static final String EMPTY_STATE = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state"
            + " srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl"
            + " srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";
    private static final PeerConfig HP_B = new PeerConfig("hp-b", "127.0.0.1:10002");
    private static final PeerConfig HP_C = new PeerConfig("hp-c", "127.0.0.1:10003");

    /** Everything the agent did, in order: the commands it sent and "RELOAD". */
    private final List<String> log = new ArrayList<>();

    /** Learning for the first {@code learningFor} reads of {@code show peers}, then resynced; the table names server 7. */
    private final class LearningHaproxy implements RuntimeApi {
        int learningFor;

        @Override
        public List<Reply> execute(List<String> commands) {
            List<Reply> out = new ArrayList<>();
            for (String c : commands) {
                log.add(c);
                String answer = switch (c) {
                    case "show servers state" -> EMPTY_STATE;
                    case "show stat -1 4 -1" -> AgentQuietRoundTest.EMPTY_STAT;
                    case "show peers" -> "0x55d3dfa8af50: [29/Nov/2026:20:35:24] id=hsdo disabled=0 flags="
                            + (learningFor-- > 0 ? "0x4000" : "0x1103") + " resync_timeout=4s task_calls=8\n";
                    case "show table db" -> "# table: db, type: integer, size:2, used:1\n"
                            + "0x55d3a59e7ff0: key=1 use=0 exp=0 server_id=7 server_key=n7\n";
                    default -> "";
                };
                out.add(new Reply(c, answer, null));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private final ConfigTarget target = new ConfigTarget() {
        @Override
        public void writeChecked(String config) {}

        @Override
        public void reload() {
            log.add("RELOAD");
        }
    };

    private static HsdoConfig config() {
        return ConfigLoader.parse("""
                haproxy: {runtime-dir: ./run}
                peers: {local-name: hp-a, bind: "127.0.0.1:10001", static: [{name: hp-b, address: "127.0.0.1:10002"}]}
                frontends: [{name: fe, bind: "127.0.0.1:8080", default-backend: db}]
                backends: [{name: db, mode: tcp, active-backup: true, sources: [servers]}]
                sources: [{name: servers, type: file, path: servers.yaml}]
                admin: {bind: ""}
                """, DIR, Map.of(), "test.yaml");
    }

    private static Plan plan() {
        List<ServerPlan> servers = new ArrayList<>();
        for (int i = 7; i <= 8; i++)
            servers.add(new ServerPlan("n" + i, i, "n" + i, "10.0.0." + i, 3306, 100, ServerState.READY, "a",
                    ServerOptions.defaults(), null));
        return Plan.of(1, List.of(new BackendPlan("db", servers, null)));
    }

    @Test
    void aPeerChangeReloadsOnlyOnceHaproxyHasLearnedItsTablesAndThenSendsTheActiveServerAgain() {
        HsdoConfig config = config();
        LearningHaproxy haproxy = new LearningHaproxy();
        Agent agent = new Agent(config, haproxy, target, PATHS, ConfigRenderer.render(config, plan(), PATHS, List.of(HP_B)),
                Clock.systemUTC(), new AgentMetrics(new SimpleMeterRegistry()));
        agent.offer(plan());
        agent.reconcileOnce();
        assertThat(log).as("nothing to reload for yet").doesNotContain("RELOAD");
        assertThat(agent.activeBackup()).extracting(ActiveServer::activeId).containsExactly(7);

        log.clear();
        haproxy.learningFor = 3;
        agent.peers(List.of(HP_B, HP_C));
        agent.reconcileOnce();
        int reload = log.indexOf("RELOAD");
        assertThat(reload).as("reloaded for the new peer").isPositive();
        assertThat(log.subList(0, reload)).as("three reads while learning, one when done, then the reload")
                .containsExactly("show peers", "show peers", "show peers", "show peers");
        assertThat(log.subList(reload + 1, log.size()))
                .startsWith("show peers", "show table db", "set table db key 1 data.server_id 7");
    }
}
