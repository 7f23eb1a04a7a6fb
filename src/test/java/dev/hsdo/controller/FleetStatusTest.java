package dev.hsdo.controller;

import dev.hsdo.store.AgentReport;
import dev.hsdo.store.HaproxyServers;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FleetStatusTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void agentsAreShownWithHowManyGenerationsTheyAreBehind() {
        FleetStatus s = FleetStatus.of(7, List.of(
                new AgentReport("a1", "z1", "2.6.12", 7, 7, NOW, null, NOW),
                new AgentReport("a2", "z2", "2.6.12", 7, 4, NOW, "haproxy runtime API: refused", NOW),
                new AgentReport("a3", null, null, 0, 0, null, null, NOW)));
        assertThat(s.converged()).isEqualTo(1);
        assertThat(s.agents()).extracting(FleetStatus.Agent::behind).containsExactly(0L, 3L, 7L);
        assertThat(s.agents().get(1).lastError()).isEqualTo("haproxy runtime API: refused");
    }

    @Test
    void anAgentWithPlanProblemsIsShownUpToDateWithItsProblems() {
        String overflow = "backend app: 12 endpoints for 10 slots; left out: 10.0.0.11:80, 10.0.0.12:80";
        FleetStatus s = FleetStatus.of(22, List.of(
                new AgentReport("a1", null, "3.0.11", 22, 22, NOW, null, NOW, "i1", List.of(overflow))));
        assertThat(s.converged()).isEqualTo(1);
        assertThat(s.agents().get(0).behind()).isZero();
        assertThat(s.agents().get(0).planProblems()).containsExactly(overflow);
    }

    @Test
    void whatEachAgentsHaproxyReportsOfItsServersIsShownAndAnOlderReportHasNone() {
        HaproxyServers app = new HaproxyServers(3, 1, 0, 12, List.of("s4"));
        FleetStatus s = FleetStatus.of(5, List.of(
                new AgentReport("a1", null, "2.6.12", 5, 5, NOW, null, NOW, "i1", List.of(), Map.of("app", app)),
                new AgentReport("a2", null, "2.6.12", 5, 5, NOW, null, NOW)));
        assertThat(s.agents().get(0).haproxy()).containsExactly(Map.entry("app", app));
        assertThat(s.agents().get(1).haproxy()).isEmpty();
    }

    @Test
    void anAgentAheadOfThisControllersViewIsNotNegativelyBehind() {
        assertThat(FleetStatus.of(3, List.of(new AgentReport("a1", null, null, 4, 4, NOW, null, NOW))).agents().get(0).behind())
                .isZero();
    }

    private static AgentReport ab(String id, java.util.Map<String, String> active) {
        return new AgentReport(id, null, null, 4, 4, NOW, null, NOW, null, List.of(), "hp-" + id, "127.0.0.1:1", active);
    }

    @Test
    void agentsNamingTheSameActiveServerAgreeAndADifferentOrMissingEntryIsADisagreementError() {
        FleetStatus same = FleetStatus.of(4, List.of(ab("a", java.util.Map.of("galera", "n2")), ab("b", java.util.Map.of("galera", "n2")),
                new AgentReport("plain", null, null, 4, 4, NOW, null, NOW)));
        assertThat(same.activeBackup()).containsExactly(new FleetStatus.ActiveBackup("galera", true,
                java.util.Map.of("a", "n2", "b", "n2"), null));
        assertThat(same.agents().get(0).activeBackup()).containsEntry("galera", "n2");

        FleetStatus differ = FleetStatus.of(4, List.of(ab("a", java.util.Map.of("galera", "n2")), ab("b", java.util.Map.of("galera", "n1"))));
        assertThat(differ.activeBackup().get(0).agreed()).isFalse();
        assertThat(differ.activeBackup().get(0).error()).contains("disagree").contains("a=n2").contains("b=n1");

        FleetStatus missing = FleetStatus.of(4, List.of(ab("a", java.util.Map.of("galera", "n2")), ab("b", java.util.Map.of())));
        assertThat(missing.activeBackup().get(0).agreed()).isFalse();
        assertThat(missing.activeBackup().get(0).active()).containsEntry("b", null);
    }
}
