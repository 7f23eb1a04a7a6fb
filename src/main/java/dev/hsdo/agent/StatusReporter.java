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
 * woken (a plan was applied). A store that cannot be reached only delays the report: the agent goes on.
 */
public final class StatusReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final String agentId;
    private final String zone;
    private final Supplier<AgentStatus> status;
    private final Supplier<String> haproxyVersion;
    private final AgentRegistry registry;
    private final Clock clock;
    private final WakeableLoop loop;
    private volatile String lastFailure;

    /**
     * @param haproxyVersion the HAProxy version, or null while unknown; asked on every report
     */
    public StatusReporter(String agentId, String zone, Supplier<AgentStatus> status, Supplier<String> haproxyVersion,
                          AgentRegistry registry, Duration ttl, Clock clock) {
        this.agentId = agentId;
        this.zone = zone;
        this.status = status;
        this.haproxyVersion = haproxyVersion;
        this.registry = registry;
        this.clock = clock;
        this.loop = new WakeableLoop("hsdo-status-reporter", ttl.dividedBy(3), this::reportOnce);
        loop.wake();
    }

    /** The report this agent would publish now. */
    public AgentReport report() {
        AgentStatus s = status.get();
        String error = s.lastErrors().isEmpty() ? null : String.join("; ", s.lastErrors());
        return new AgentReport(agentId, zone, haproxyVersion.get(), s.desiredGeneration(), s.appliedGeneration(),
                s.appliedAt(), error, clock.instant());
    }

    /** Reports at once. */
    public void wake() {
        loop.wake();
    }

    private void reportOnce() {
        try {
            registry.report(report());
            if (lastFailure != null) log.info("agent status reported again");
            lastFailure = null;
        } catch (StoreException e) {
            if (!e.getMessage().equals(lastFailure)) log.warn("cannot report agent status: {}", e.getMessage());
            lastFailure = e.getMessage();
        }
    }

    @Override
    public void close() {
        loop.close();
        registry.close();
    }
}
