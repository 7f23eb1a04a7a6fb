package dev.hsdo.agent;

import java.time.Instant;
import java.util.List;

/**
 * What the agent last did, for the status API and readiness.
 *
 * @param desiredGeneration generation of the plan the agent works towards (0: none yet)
 * @param appliedGeneration generation HAProxy was last verified to match (0: none yet); a plan with problems
 *                          (see {@code planProblems}) counts as applied once everything else of it is
 * @param appliedAt         when that was verified, or null
 * @param haproxyReachable  whether the last Runtime API call succeeded
 * @param lastErrors        errors of the last reconcile (refused commands, unreachable HAProxy), empty when clean
 * @param pending           commands the last verification still found necessary
 * @param planProblems      what of the plan this agent cannot apply and leaves out, while it applies the rest:
 *                          endpoints that do not fit the template slots, a backend its config lacks, a server
 *                          HAProxy refused; a problem of the plan, not a failure of the agent
 */
public record AgentStatus(long desiredGeneration, long appliedGeneration, Instant appliedAt, boolean haproxyReachable,
                          List<String> lastErrors, List<String> pending, List<String> planProblems) {
    public AgentStatus {
        lastErrors = List.copyOf(lastErrors);
        pending = List.copyOf(pending);
        planProblems = List.copyOf(planProblems);
    }

    /** The status before the first round. */
    public static AgentStatus initial() {
        return new AgentStatus(0, 0, null, false, List.of(), List.of(), List.of());
    }

    /** Whether HAProxy runs the plan the agent was given. */
    public boolean converged() {
        return desiredGeneration > 0 && desiredGeneration == appliedGeneration && haproxyReachable;
    }
}
