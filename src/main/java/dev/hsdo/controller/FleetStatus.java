package dev.hsdo.controller;

import dev.hsdo.store.AgentReport;
import dev.hsdo.store.HaproxyServers;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which agents run which plan generation, for the controller's status API.
 *
 * @param generation the generation of the plan in force
 * @param converged  how many agents applied it
 * @param agents     every agent whose report is alive, by id
 */
public record FleetStatus(long generation, int converged, List<Agent> agents) {
    public FleetStatus {
        agents = List.copyOf(agents);
    }

    /**
     * One agent's line.
     *
     * @param behind       how many generations the applied plan is behind the plan in force (0: up to date)
     * @param planProblems what of the plan this agent leaves out while applying the rest (slots overflow, a
     *                     backend its config lacks, a server its HAProxy refused): not a lag, but worth a look
     * @param haproxy      what its HAProxy reports of each backend's servers (up, down, sessions)
     */
    public record Agent(String id, String zone, String haproxyVersion, long appliedGeneration, long behind,
                        Instant appliedAt, String lastError, Instant reportedAt, List<String> planProblems,
                        Map<String, HaproxyServers> haproxy) {
        public Agent {
            planProblems = planProblems == null ? List.of() : List.copyOf(planProblems);
            haproxy = haproxy == null ? Map.of() : haproxy;
        }
    }

    /** The fleet's status against plan {@code generation}, from the agents' reports. */
    public static FleetStatus of(long generation, List<AgentReport> reports) {
        List<Agent> agents = reports.stream().map(r -> new Agent(r.agentId(), r.zone(), r.haproxyVersion(),
                r.appliedGeneration(), Math.max(0, generation - r.appliedGeneration()), r.appliedAt(), r.lastError(),
                r.reportedAt(), r.planProblems(), r.haproxy())).toList();
        int converged = (int) agents.stream().filter(a -> a.behind() == 0).count();
        return new FleetStatus(generation, converged, agents);
    }
}
