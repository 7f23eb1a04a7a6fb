package dev.hsdo.agent;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an agent finds a hand-made change of the tenant map that leaves its listing (version, entry count) as it was:
 * the whole map is read back once per verify interval, off the rounds, and a round puts what differs back.
 */
class TenantDriftTest {
    @TempDir
    Path dir;

    @Test
    void theWholeMapIsReadBackOncePerVerifyIntervalAndAHandMadeChangeIsPutBackByTheNextRound() throws Exception {
        HsdoConfig config = AgentTenantOrderTest.twoShards(dir, ", verify-interval: 10s");
        String map = config.tenants().mapFile().toString();
        AgentTenantOrderTest.MapHaproxy haproxy = new AgentTenantOrderTest.MapHaproxy(map);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Agent agent = new Agent(config, haproxy, null, null, null, clock, new AgentMetrics(new SimpleMeterRegistry()));
        Map<String, String> tenants = new TreeMap<>();
        for (int i = 0; i < 100; i++) tenants.put("t" + i, "s" + (i % 2 + 1));
        agent.offer(new Plan(1, null, List.of(new BackendPlan("be1", List.of(), null)), 0, new TenantTable(tenants, List.of())));
        assertThat(agent.reconcileOnce()).matches(AgentStatus::converged);

        // By hand: the same count, a wrong shard. Quiet rounds list the maps only; a read before the interval
        // has passed (the first round read the whole map) reads nothing.
        haproxy.entries.put("t42", "be2");
        int from = haproxy.sent.size();
        clock.advance(Duration.ofSeconds(9));
        agent.reconcileOnce();
        agent.verifyTenantMap();
        assertThat(haproxy.sent.subList(from, haproxy.sent.size())).as("no whole read").doesNotContain("show map " + map);
        assertThat(haproxy.entries).containsEntry("t42", "be2");

        clock.advance(Duration.ofSeconds(1));
        agent.verifyTenantMap();
        assertThat(haproxy.sent.subList(from, haproxy.sent.size())).contains("show map " + map);
        agent.reconcileOnce();
        assertThat(haproxy.entries).containsEntry("t42", "be1").hasSize(100);
        assertThat(agent.tenantStatus().driftRepaired()).isEqualTo(1);
        assertThat(agent.tenantStatus().lastDriftAt()).isEqualTo(clock.instant());
        assertThat(agent.status().converged()).isTrue();

        // By hand: one entry deleted and another added, the count kept.
        haproxy.entries.remove("t7");
        haproxy.entries.put("intruder", "be2");
        clock.advance(Duration.ofSeconds(10));
        agent.verifyTenantMap();
        agent.reconcileOnce();
        assertThat(haproxy.entries).containsEntry("t7", "be2").doesNotContainKey("intruder").hasSize(100);
        assertThat(agent.tenantStatus().driftRepaired()).isEqualTo(3);
    }

    @Test
    void aReadBackOverlappingATableChangeIsDroppedAndTriedAgain() throws Exception {
        HsdoConfig config = AgentTenantOrderTest.twoShards(dir, ", verify-interval: 10s");
        AgentTenantOrderTest.MapHaproxy haproxy = new AgentTenantOrderTest.MapHaproxy(config.tenants().mapFile().toString());
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        TenantSync sync = new TenantSync(config.tenants(), clock);
        TenantTable before = new TenantTable(Map.of("a", "s1", "b", "s1"), List.of());
        assertThat(sync.sync(haproxy, before)).isNull();
        clock.advance(Duration.ofSeconds(10));
        TenantSync.Check check = sync.dueCheck();
        assertThat(check).isNotNull();
        // A move lands while the read is under way: what the read saw cannot be judged against either table.
        boolean differs = sync.differs(haproxy, check);
        assertThat(sync.sync(haproxy, new TenantTable(Map.of("a", "s2", "b", "s1"), List.of()))).isNull();
        assertThat(sync.checked(check, differs)).isFalse();
        assertThat(sync.dueCheck()).as("due again").isNotNull();
    }
}
