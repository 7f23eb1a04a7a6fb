package dev.hsdo.controller;

import dev.hsdo.store.AgentReport;
import dev.hsdo.store.HaproxyServers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which agents run which plan generation, for the controller's status API.
 *
 * @param generation the generation of the plan in force
 * @param converged  how many agents applied it
 * @param agents     every agent whose report is alive, by id
 * @param activeBackup per active/backup backend, whether every agent's HAProxy names the same active server
 */
public record FleetStatus(long generation, int converged, List<Agent> agents, List<ActiveBackup> activeBackup) {
    public FleetStatus {
        agents = List.copyOf(agents);
        activeBackup = List.copyOf(activeBackup);
    }

    /**
     * One active/backup backend across the fleet.
     *
     * @param backend the backend
     * @param agreed  whether every agent reporting active/backup state names the same server
     * @param active  agent id → the server its HAProxy's stick entry names (null: no entry there)
     * @param error   why the fleet disagrees, or null when it agrees
     */
    public record ActiveBackup(String backend, boolean agreed, Map<String, String> active, String error) {
        public ActiveBackup {
            active = java.util.Collections.unmodifiableMap(new TreeMap<>(active));
        }
    }

    /**
     * One agent's line.
     *
     * @param behind       how many generations the applied plan is behind the plan in force (0: up to date)
     * @param planProblems what of the plan this agent leaves out while applying the rest (slots overflow, a
     *                     backend its config lacks, a server its HAProxy refused): not a lag, but worth a look
     * @param haproxy      what its HAProxy reports of each backend's servers (up, down, sessions)
     * @param activeBackup active/backup backend → the server this agent's HAProxy names as active
     */
    public record Agent(String id, String zone, String haproxyVersion, long appliedGeneration, long behind,
                        Instant appliedAt, String lastError, Instant reportedAt, List<String> planProblems,
                        Map<String, HaproxyServers> haproxy, Map<String, String> activeBackup) {
        public Agent {
            planProblems = planProblems == null ? List.of() : List.copyOf(planProblems);
            haproxy = haproxy == null ? Map.of() : haproxy;
            activeBackup = activeBackup == null ? Map.of() : activeBackup;
        }
    }

    /** The fleet's status against plan {@code generation}, from the agents' reports. */
    public static FleetStatus of(long generation, List<AgentReport> reports) {
        List<Agent> agents = reports.stream().map(r -> new Agent(r.agentId(), r.zone(), r.haproxyVersion(),
                r.appliedGeneration(), Math.max(0, generation - r.appliedGeneration()), r.appliedAt(), r.lastError(),
                r.reportedAt(), r.planProblems(), r.haproxy(), r.activeBackup())).toList();
        int converged = (int) agents.stream().filter(a -> a.behind() == 0).count();
        return new FleetStatus(generation, converged, agents, activeBackup(reports));
    }

    /**
     * Agreement per backend among the agents that advertise a peer (so run active/backup backends): an agent
     * whose HAProxy has no entry for a backend others have one for disagrees too, since its next connection
     * would pick on its own.
     */
    static List<ActiveBackup> activeBackup(List<AgentReport> reports) {
        List<AgentReport> ab = reports.stream().filter(r -> r.peerName() != null).toList();
        TreeSet<String> backends = new TreeSet<>();
        ab.forEach(r -> backends.addAll(r.activeBackup().keySet()));
        List<ActiveBackup> out = new java.util.ArrayList<>();
        for (String backend : backends) {
            Map<String, String> active = new TreeMap<>();
            for (AgentReport r : ab) active.put(r.agentId(), r.activeBackup().get(backend));
            TreeSet<String> distinct = new TreeSet<>(java.util.Comparator.nullsFirst(String::compareTo));
            distinct.addAll(active.values());
            boolean agreed = distinct.size() == 1;
            out.add(new ActiveBackup(backend, agreed, active, agreed ? null
                    : "backend " + backend + ": the agents' HAProxies disagree on the active server: " + active));
        }
        return out;
    }
}
