package dev.hsdo.agent;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.TenantTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In which order a round changes the tenant map and checks the servers: a plan that only moves tenants changes the
 * map first (a move waits for nothing else), one that also changes the servers changes it after them (a tenant
 * moved to a shard whose servers the plan adds finds them in place). The map file is written before either.
 */
class AgentTenantOrderTest {
    @TempDir
    Path dir;

    /** An HAProxy without servers holding one map, that records every command it is sent, in order. */
    static final class MapHaproxy implements RuntimeApi {
        final String map;
        final TreeMap<String, String> entries = new TreeMap<>();
        final List<String> sent = new ArrayList<>();
        int version;

        MapHaproxy(String map) {
            this.map = map;
        }

        @Override
        public List<Reply> execute(List<String> commands) {
            List<Reply> replies = new ArrayList<>();
            for (String c : commands) {
                sent.add(c);
                replies.add(new Reply(c, answer(c), null));
            }
            return replies;
        }

        private String answer(String c) {
            String[] w = c.split(" ");
            if (c.equals("show servers state")) return AgentQuietRoundTest.EMPTY_STATE;
            if (c.startsWith("show stat")) return AgentQuietRoundTest.EMPTY_STAT;
            if (c.equals("show map"))
                return "-1 (" + map + ") pattern loaded from file '" + map + "' used by map at file 'haproxy.cfg' line 9. curr_ver="
                        + version + " next_ver=" + version + " entry_cnt=" + entries.size() + "\n";
            if (c.equals("show map " + map)) {
                StringBuilder b = new StringBuilder();
                entries.forEach((k, v) -> b.append("0x1 ").append(k).append(' ').append(v).append('\n'));
                return b.toString();
            }
            if (w[0].equals("add") || w[0].equals("set")) entries.put(w[3], w[4]);
            else if (w[0].equals("del")) entries.remove(w[3]);
            else if (w[0].equals("get"))
                return entries.containsKey(w[3]) ? "type=str, case=sensitive, found=yes, idx=tree, key=\"" + w[3]
                        + "\", value=\"" + entries.get(w[3]) + "\", type=\"str\"\n" : "type=str, case=sensitive, found=no\n";
            return "";
        }

        @Override
        public void close() {}
    }

    /** Two backends, be1 and be2, as shards s1 and s2 (s1 the default); {@code more}: further keys of {@code tenants}. */
    static HsdoConfig twoShards(Path dir, String more) throws Exception {
        return ConfigLoader.parse("""
                haproxy: {runtime-dir: ./run}
                frontends: [{name: fe, bind: "127.0.0.1:8080", default-backend: be1}]
                backends:
                  - {name: be1, sources: [src]}
                  - {name: be2, sources: [src]}
                sources: [{name: src, type: file, path: servers.yaml}]
                tenants: {shards: {s1: be1, s2: be2}, default-shard: s1%s}
                """.formatted(more), dir, Map.of(), "test");
    }

    private static Plan plan(long generation, String heldBack, Map<String, String> tenants) {
        return new Plan(generation, null, List.of(new BackendPlan("be1", List.of(), heldBack)), 0, new TenantTable(tenants, List.of()));
    }

    /** The position in {@code sent} of the first command starting with {@code prefix}, from {@code from} on. */
    private static int first(List<String> sent, int from, String prefix) {
        for (int i = from; i < sent.size(); i++) if (sent.get(i).startsWith(prefix)) return i;
        throw new AssertionError("no " + prefix + " among " + sent.subList(from, sent.size()));
    }

    @Test
    void aPlanMovingOnlyTenantsChangesTheMapBeforeCheckingTheServersAndOneChangingServersAfterThem() throws Exception {
        HsdoConfig config = twoShards(dir, "");
        Path mapFile = config.tenants().mapFile();
        MapHaproxy haproxy = new MapHaproxy(mapFile.toString());
        Agent agent = new Agent(config, haproxy, null, null, null, Clock.systemUTC(), new AgentMetrics(new SimpleMeterRegistry()));
        agent.offer(plan(1, null, Map.of("alice", "s1", "bob", "s1")));
        assertThat(agent.reconcileOnce()).matches(AgentStatus::converged);

        int from = haproxy.sent.size();
        agent.offer(plan(2, null, Map.of("alice", "s2", "bob", "s1")));
        assertThat(agent.reconcileOnce()).matches(AgentStatus::converged);
        assertThat(first(haproxy.sent, from, "set map " + mapFile + " alice be2"))
                .isLessThan(first(haproxy.sent, from, "show servers state"));
        assertThat(Files.readString(mapFile)).isEqualTo("alice be2\nbob be1\n");

        from = haproxy.sent.size();
        agent.offer(plan(3, "held back", Map.of("alice", "s2", "bob", "s2")));
        agent.reconcileOnce();
        assertThat(first(haproxy.sent, from, "set map " + mapFile + " bob be2"))
                .isGreaterThan(first(haproxy.sent, from, "show servers state"));
        assertThat(haproxy.entries).containsExactlyInAnyOrderEntriesOf(Map.of("alice", "be2", "bob", "be2"));
    }
}
