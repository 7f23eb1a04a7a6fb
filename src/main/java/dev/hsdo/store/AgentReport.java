package dev.hsdo.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What one agent tells the fleet about itself, published with a time to live so that an agent that
 * stopped disappears from the fleet view.
 *
 * @param agentId           the agent's unique id
 * @param zone              the zone it serves, or null
 * @param haproxyVersion    the HAProxy version it drives, or null when unknown
 * @param desiredGeneration the plan generation it works towards (0: none yet)
 * @param appliedGeneration the plan generation HAProxy was last verified to match (0: none yet)
 * @param appliedAt         when that was verified, or null
 * @param lastError         the last error, or null
 * @param reportedAt        when this report was made
 */
public record AgentReport(String agentId, String zone, String haproxyVersion, long desiredGeneration,
                          long appliedGeneration, Instant appliedAt, String lastError, Instant reportedAt) {
    public AgentReport {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(reportedAt, "reportedAt");
    }
}
