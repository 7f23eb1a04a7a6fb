package dev.hsdo.agent;

import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.WakeableLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
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
    private final WakeableLoop loop;
    // the registry once the store was opened, null before
    private volatile AgentRegistry registry;
    // set once no other live instance holds the id
    private volatile boolean claimed;
    private volatile String duplicate;
    // the loop thread's last logged refusal, so that it is logged once
    private String logged;

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
        this.loop = new WakeableLoop("hsdo-status-reporter", ttl.dividedBy(3), this::reportOnce);
    }

    /** Starts reporting to {@code agents} (the store answered, or was opened late). */
    public void attach(AgentRegistry agents) {
        this.registry = agents;
        loop.wake();
    }

    /**
     * Claims the agent id in the registry: null when no other live agent instance reports under it (or the
     * store did not answer: the claim is made again before the first report), else what holds it.
     */
    public String claim() {
        AgentRegistry r = registry;
        if (r == null || claimed) return duplicate;
        try {
            for (AgentReport other : r.agents()) {
                if (!other.agentId().equals(agentId) || !other.otherInstanceThan(instance)) continue;
                duplicate = "agent id " + agentId + " is already reported by another live agent (instance "
                        + other.instance() + ", zone " + other.zone() + ", reported at " + other.reportedAt()
                        + "): give this agent its own fleet.agent-id (HSDO_FLEET_AGENT_ID)";
                return duplicate;
            }
            claimed = true;
            duplicate = null;
            storeHealth.answered();
        } catch (StoreException e) {
            storeHealth.failed(e.getMessage());
        }
        return null;
    }

    /** Why this agent does not report (another live agent holds its id), or null. */
    public String duplicate() {
        return duplicate;
    }

    /** The report this agent would publish now. */
    public AgentReport report() {
        AgentStatus s = status.get();
        String error = s.lastErrors().isEmpty() ? null : String.join("; ", s.lastErrors());
        return new AgentReport(agentId, zone, haproxyVersion.get(), s.desiredGeneration(), s.appliedGeneration(),
                s.appliedAt(), error, clock.instant(), instance, s.planProblems());
    }

    /** Reports at once. */
    public void wake() {
        loop.wake();
    }

    private void reportOnce() {
        AgentRegistry r = registry;
        if (r == null) return;
        if (!claimed) {
            String held = claim();
            if (held != null) {
                if (!held.equals(logged)) log.error("not reporting: {}", held);
                logged = held;
                return;
            }
            if (!claimed) return;
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
