package dev.hsdo.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * @param instance          a nonce naming the agent instance (kept in its data directory across restarts), so
 *                          that a second agent started under the same id is told apart; null in older reports
 * @param planProblems      what of the plan the agent leaves out while it applies the rest (empty when nothing)
 * @param haproxy           what its HAProxy reports of each backend's servers (up, down, sessions), by backend; empty
 *                          in older reports
 * @param peerName          the name its HAProxy has in the peers section of active/backup backends, or null
 *                          (no such backend, or an older agent); the other agents render it as a peer
 * @param peerAddress       where its HAProxy's peer listener is reached ({@code host:port}), or null
 * @param activeBackup      active/backup backend → the server its HAProxy's stick entry names (backends without
 *                          an entry are left out); empty without such backends
 */
// A fleet upgraded one node at a time has newer agents reporting fields an older controller does not know:
// a report is read for what the reader knows (a plan, by contrast, is never read in part).
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentReport(String agentId, String zone, String haproxyVersion, long desiredGeneration,
                          long appliedGeneration, Instant appliedAt, String lastError, Instant reportedAt,
                          String instance, List<String> planProblems, Map<String, HaproxyServers> haproxy,
                          String peerName, String peerAddress, Map<String, String> activeBackup) {
    public AgentReport {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(reportedAt, "reportedAt");
        planProblems = planProblems == null ? List.of() : List.copyOf(planProblems);
        haproxy = haproxy == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(haproxy));
        activeBackup = activeBackup == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(activeBackup));
    }

    /** A report with HAProxy's server counts and without peer or active/backup information. */
    public AgentReport(String agentId, String zone, String haproxyVersion, long desiredGeneration,
                       long appliedGeneration, Instant appliedAt, String lastError, Instant reportedAt,
                       String instance, List<String> planProblems, Map<String, HaproxyServers> haproxy) {
        this(agentId, zone, haproxyVersion, desiredGeneration, appliedGeneration, appliedAt, lastError, reportedAt,
                instance, planProblems, haproxy, null, null, Map.of());
    }

    /** A report with peer and active/backup information and without HAProxy's server counts. */
    public AgentReport(String agentId, String zone, String haproxyVersion, long desiredGeneration,
                       long appliedGeneration, Instant appliedAt, String lastError, Instant reportedAt,
                       String instance, List<String> planProblems, String peerName, String peerAddress,
                       Map<String, String> activeBackup) {
        this(agentId, zone, haproxyVersion, desiredGeneration, appliedGeneration, appliedAt, lastError, reportedAt,
                instance, planProblems, Map.of(), peerName, peerAddress, activeBackup);
    }

    /** A report without HAProxy's server counts, peer or active/backup information, as agents before them wrote. */
    public AgentReport(String agentId, String zone, String haproxyVersion, long desiredGeneration,
                       long appliedGeneration, Instant appliedAt, String lastError, Instant reportedAt,
                       String instance, List<String> planProblems) {
        this(agentId, zone, haproxyVersion, desiredGeneration, appliedGeneration, appliedAt, lastError, reportedAt,
                instance, planProblems, Map.of(), null, null, Map.of());
    }

    /** A report without an instance nonce or plan problems, as agents before them wrote. */
    public AgentReport(String agentId, String zone, String haproxyVersion, long desiredGeneration, long appliedGeneration,
                       Instant appliedAt, String lastError, Instant reportedAt) {
        this(agentId, zone, haproxyVersion, desiredGeneration, appliedGeneration, appliedAt, lastError, reportedAt,
                null, List.of(), Map.of(), null, null, Map.of());
    }

    /** Whether this report comes from another live agent instance than {@code myInstance} under the same id. */
    public boolean otherInstanceThan(String myInstance) {
        return instance != null && !instance.equals(myInstance);
    }
}
