package dev.hsdo.agent;

import java.time.Instant;
import java.util.List;

/**
 * What the agent last did, for the status API and readiness.
 *
 * @param desiredGeneration generation of the plan the agent works towards (0: none yet)
 * @param appliedGeneration generation HAProxy was last verified to match (0: none yet)
 * @param appliedAt         when that was verified, or null
 * @param haproxyReachable  whether the last Runtime API call succeeded
 * @param lastErrors        errors of the last reconcile (refused commands, unreachable HAProxy), empty when clean
 * @param pending           commands the last verification still found necessary
 */
public record AgentStatus(long desiredGeneration, long appliedGeneration, Instant appliedAt, boolean haproxyReachable,
                          List<String> lastErrors, List<String> pending) {
    public AgentStatus {
        lastErrors = List.copyOf(lastErrors);
        pending = List.copyOf(pending);
    }

    /** Whether HAProxy runs the plan the agent was given. */
    public boolean converged() {
        return desiredGeneration > 0 && desiredGeneration == appliedGeneration && haproxyReachable;
    }
}
