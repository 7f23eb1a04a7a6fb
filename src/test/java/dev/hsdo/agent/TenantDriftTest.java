package dev.hsdo.agent;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.TenantTable;
import dev.hsdo.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an agent finds a hand-made change of the tenant map that leaves its listing (version, entry count) as it was:
 * quiet rounds read entries back in slices, so that every entry is read once per verify interval, and put a wrong
 * one back.
 */
class TenantDriftTest {
    @TempDir
    Path dir;

    @Test
    void quietRoundsReadEveryEntryBackOncePerVerifyIntervalInSlicesAndPutAHandMadeChangeBack() throws Exception {
        HsdoConfig config = ConfigLoader.parse("""
                haproxy: {runtime-dir: ./run}
                frontends: [{name: fe, bind: "127.0.0.1:8080", default-backend: be1}]
                backends:
                  - {name: be1, sources: [src]}
                  - {name: be2, sources: [src]}
                sources: [{name: src, type: file, path: servers.yaml}]
                tenants: {shards: {s1: be1, s2: be2}, default-shard: s1, verify-interval: 10s}
                """, dir, Map.of(), "test");
        String map = config.tenants().mapFile().toString();
        AgentTenantOrderTest.MapHaproxy haproxy = new AgentTenantOrderTest.MapHaproxy(map);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Agent agent = new Agent(config, haproxy, null, null, null, clock, new AgentMetrics(new SimpleMeterRegistry()));
        Map<String, String> tenants = new TreeMap<>();
        for (int i = 0; i < 100; i++) tenants.put("t" + i, "s" + (i % 2 + 1));
        agent.offer(new Plan(1, null, List.of(new BackendPlan("be1", List.of(), null)), 0, new TenantTable(tenants, List.of())));
        assertThat(agent.reconcileOnce()).matches(AgentStatus::converged);

        // Ten rounds a second apart: about a tenth of the table each, every entry once in all.
        int start = haproxy.sent.size();
        Set<String> readBack = new HashSet<>();
        for (int round = 0; round < 10; round++) {
            clock.advance(Duration.ofSeconds(1));
            int from = haproxy.sent.size();
            agent.reconcileOnce();
            List<String> gets = haproxy.sent.subList(from, haproxy.sent.size()).stream().filter(c -> c.startsWith("get map ")).toList();
            assertThat(gets).as("round %d", round).hasSizeBetween(9, 11);
            readBack.addAll(gets);
        }
        assertThat(readBack).hasSize(100);
        assertThat(haproxy.sent.subList(start, haproxy.sent.size())).as("no whole read").noneMatch(c -> c.equals("show map " + map));

        // By hand: the same count, a wrong shard. Found within one interval, put back, reported.
        haproxy.entries.put("t42", "be2");
        for (int round = 0; round < 10 && agent.tenantStatus().driftRepaired() == 0; round++) {
            clock.advance(Duration.ofSeconds(1));
            agent.reconcileOnce();
        }
        assertThat(haproxy.entries).containsEntry("t42", "be1").hasSize(100);
        assertThat(agent.tenantStatus().driftRepaired()).isEqualTo(1);
        assertThat(agent.tenantStatus().lastDriftAt()).isEqualTo(clock.instant());
        assertThat(agent.status().converged()).isTrue();

        // By hand: one deleted and another added, the count kept. The missing entry sends the round to the whole read.
        haproxy.entries.remove("t7");
        haproxy.entries.put("intruder", "be2");
        for (int round = 0; round < 10 && agent.tenantStatus().driftRepaired() == 1; round++) {
            clock.advance(Duration.ofSeconds(1));
            agent.reconcileOnce();
        }
        assertThat(haproxy.entries).containsEntry("t7", "be2").doesNotContainKey("intruder").hasSize(100);
        assertThat(agent.tenantStatus().driftRepaired()).isEqualTo(3);
    }
}
