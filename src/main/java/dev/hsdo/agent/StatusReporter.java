package dev.hsdo.agent;

import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.HaproxyServers;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.WakeableLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes the agent's status to the fleet's registry every third of the report TTL, and at once when
 * woken (a plan was applied). A store that cannot be reached only delays the report: the agent goes on,
 * and {@link StoreHealth} says since when the store has been failing. Before its first report the agent
 * claims its id: while another live agent instance reports under the same id, it does not report.
 */
public final class StatusReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final String agentId;
    private final String instance;
    private final String zone;
    private final Supplier<AgentStatus> status;
    private final Supplier<String> haproxyVersion;
    private final StoreHealth storeHealth;
    private final Clock clock;
    private final Duration ttl;
    private final WakeableLoop loop;
    // the registry once the store was opened, null before
    private volatile AgentRegistry registry;
    // set once no other live instance holds the id
    private volatile boolean claimed;
    // guarded by this: another instance's report last seen under this id, and when it was first seen or last
    // seen renewed
    private AgentReport conflict;
    private Instant conflictSeen;
    // why this agent does not report (a live duplicate), or null
    private volatile String duplicate;
    // the loop thread's last logged refusal, so that it is logged once
    private String logged;
    private volatile Supplier<Map<String, HaproxyServers>> haproxyServers = Map::of;

    /**
     * @param instance       this agent instance's nonce (see {@link AgentReport#instance()})
     * @param haproxyVersion the HAProxy version, or null while unknown; asked on every report
     */
    public StatusReporter(String agentId, String instance, String zone, Supplier<AgentStatus> status,
                          Supplier<String> haproxyVersion, StoreHealth storeHealth, Duration ttl, Clock clock) {
        this.agentId = agentId;
        this.instance = instance;
        this.zone = zone;
        this.status = status;
        this.haproxyVersion = haproxyVersion;
        this.storeHealth = storeHealth;
        this.clock = clock;
        this.ttl = ttl;
        this.loop = new WakeableLoop("hsdo-status-reporter", ttl.dividedBy(3), this::reportOnce);
    }

    /** Reports what {@code servers} gives of HAProxy's servers (up, down, sessions) too; returns this reporter. */
    public StatusReporter haproxyServers(Supplier<Map<String, HaproxyServers>> servers) {
        this.haproxyServers = servers;
        return this;
    }

    // this agent's HAProxy as a peer and its active servers, for active/backup backends; null without them
    private volatile dev.hsdo.config.PeerConfig localPeer;
    private volatile Supplier<List<ActiveServer>> activeBackup = List::of;

    /** Reports {@code peer} as this agent's HAProxy in the peers section, and what {@code active} says is active. */
    public void activeBackup(dev.hsdo.config.PeerConfig peer, Supplier<List<ActiveServer>> active) {
        this.localPeer = peer;
        this.activeBackup = active;
    }

    /** Starts reporting to {@code agents} (the store answered, or was opened late). */
    public void attach(AgentRegistry agents) {
        this.registry = agents;
        loop.wake();
    }

    /** What one look at the registry says about this agent's id. */
    public enum Claim {
        /** No other live instance reports under it: this agent reports. */
        CLAIMED,
        /** Another instance's report is there, not seen renewed yet: it may be a dead predecessor's. */
        UNDECIDED,
        /** Another instance renewed its report under this id: it is alive, this agent does not report. */
        DUPLICATE,
        /** The store did not answer (or is not open yet): asked again before the first report. */
        NO_ANSWER
    }

    /**
     * Claims the agent id, waiting (at most one report TTL and a second) to tell a live agent under the same id,
     * which renews its report, from the last report of a predecessor that died (a data directory wiped or
     * replaced gives a new instance id). Returns null when claimed or when the store does not answer (the claim
     * is made again before the first report), else what holds the id.
     */
    public String claim() {
        long deadline = System.nanoTime() + ttl.plusSeconds(1).toNanos();
        Claim c = claimStep();
        // The reporter's own loop looks too: whichever look sees the renewal decides.
        while (c == Claim.UNDECIDED && duplicate == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.max(50, ttl.toMillis() / 6));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return duplicate;
            }
            c = claimStep();
        }
        return c == Claim.CLAIMED ? null : duplicate;
    }

    /** One look at the registry; a store that does not answer leaves the claim undecided. */
    synchronized Claim claimStep() {
        AgentRegistry r = registry;
        if (claimed) return Claim.CLAIMED;
        if (r == null) return Claim.NO_ANSWER;
        AgentReport other;
        try {
            other = r.agents().stream().filter(a -> a.agentId().equals(agentId) && a.otherInstanceThan(instance))
                    .findFirst().orElse(null);
            storeHealth.answered();
        } catch (StoreException e) {
            storeHealth.failed(e.getMessage());
            return Claim.NO_ANSWER;
        }
        if (other == null) {
            claimed = true;
            duplicate = null;
            conflict = null;
            return Claim.CLAIMED;
        }
        if (conflict == null || !conflict.instance().equals(other.instance())) {
            conflict = other;
            conflictSeen = clock.instant();
            return Claim.UNDECIDED;
        }
        if (other.reportedAt().isAfter(conflict.reportedAt())) {
            duplicate = "agent id " + agentId + " is already reported by another live agent (instance "
                    + other.instance() + ", zone " + other.zone() + "): give this agent its own fleet.agent-id (HSDO_FLEET_AGENT_ID)";
            conflict = other;
            conflictSeen = clock.instant();
            return Claim.DUPLICATE;
        }
        // Seen renewed within the last TTL (by this look or the reporter's own loop): still a duplicate.
        if (duplicate != null && clock.instant().isBefore(conflictSeen.plus(ttl))) return Claim.DUPLICATE;
        // Not renewed for a whole TTL: the report of an agent that is gone, which the store has yet to expire.
        if (!clock.instant().isBefore(conflictSeen.plus(ttl))) {
            claimed = true;
            duplicate = null;
            conflict = null;
            return Claim.CLAIMED;
        }
        return Claim.UNDECIDED;
    }

    /** Why this agent does not report (another live agent holds its id), or null. */
    public String duplicate() {
        return duplicate;
    }

    /** The report this agent would publish now. */
    public AgentReport report() {
        AgentStatus s = status.get();
        String error = s.lastErrors().isEmpty() ? null : String.join("; ", s.lastErrors());
        dev.hsdo.config.PeerConfig peer = localPeer;
        Map<String, String> active = new java.util.TreeMap<>();
        for (ActiveServer a : activeBackup.get()) if (a.active() != null) active.put(a.backend(), a.active());
        return new AgentReport(agentId, zone, haproxyVersion.get(), s.desiredGeneration(), s.appliedGeneration(),
                s.appliedAt(), error, clock.instant(), instance, s.planProblems(), haproxyServers.get(),
                peer == null ? null : peer.name(), peer == null ? null : peer.address(), active);
    }

    /** Reports at once. */
    public void wake() {
        loop.wake();
    }

    private void reportOnce() {
        AgentRegistry r = registry;
        if (r == null) return;
        if (!claimed) {
            Claim c = claimStep();
            if (c == Claim.DUPLICATE && !duplicate.equals(logged)) log.error("not reporting: {}", duplicate);
            if (c == Claim.DUPLICATE) logged = duplicate;
            if (c != Claim.CLAIMED) return;
        }
        try {
            r.report(report());
            if (storeHealth.answered()) log.info("fleet store answers again: agent status reported");
        } catch (StoreException e) {
            StoreHealth.State before = storeHealth.state();
            storeHealth.failed(e.getMessage());
            if (!e.getMessage().equals(before.error()))
                log.warn("cannot report agent status (serving the last plan meanwhile): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        loop.close();
        AgentRegistry r = registry;
        if (r != null) r.close();
    }
}
