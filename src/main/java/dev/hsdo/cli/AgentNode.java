package dev.hsdo.cli;

import dev.hsdo.agent.Agent;
import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.agent.StatusReporter;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.model.Plan;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hsdo agent}: watches the fleet store and keeps its own HAProxy on the published plan, reporting
 * what it applied. While the store is unreachable it keeps serving the last plan, and catches up when the
 * store returns.
 */
public final class AgentNode extends Node {
    private static final Logger log = LoggerFactory.getLogger(AgentNode.class);

    private LocalHaproxy local;
    private StatusReporter reporter;
    private volatile String haproxyVersion;

    private AgentNode(HsdoConfig config) {
        super(config);
    }

    /** Connects to the store, starts HAProxy on the stored plan and follows it; on failure stops what it started. */
    public static AgentNode start(HsdoConfig config, Clock clock) throws Exception {
        return startOrClose(new AgentNode(config), clock);
    }

    @Override
    void startAll(Clock clock) throws Exception {
        FleetStore fleet = toClose.add(FleetStores.open(config.store(), clock));
        Plan first = Plan.empty();
        try {
            first = fleet.plans().current().orElse(Plan.empty());
        } catch (StoreException e) {
            log.warn("{}: starting HAProxy without servers until the store answers", e.getMessage());
        }
        local = toClose.add(LocalHaproxy.start(config, first, clock, new AgentMetrics(registry)));
        reporter = toClose.add(new StatusReporter(config.fleet().agentId(), config.fleet().zone(), local.agent()::status,
                this::haproxyVersion, fleet.agents(config.fleet().statusTtl()), config.fleet().statusTtl(), clock));
        local.agent().onStatusChange(reporter::wake);
        fleet.plans().watch(local.agent()::offer);
        startAdmin();
    }

    private String haproxyVersion() {
        if (haproxyVersion == null) {
            try {
                haproxyVersion = local.api().showInfo().get("Version");
            } catch (RuntimeApiException e) {
                log.debug("HAProxy version not known yet: {}", e.getMessage());
            }
        }
        return haproxyVersion;
    }

    /** The agent. */
    public Agent agent() {
        return local.agent();
    }

    /** The report this agent publishes. */
    public dev.hsdo.store.AgentReport report() {
        return reporter.report();
    }

    @Override
    public Plan plan() {
        Plan p = local.agent().desired();
        return p == null ? Plan.empty() : p;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("report", reporter.report());
        doc.put("agent", local.agent().status());
        doc.put("haproxy", StatusDocs.haproxy(local.haproxy()));
        return doc;
    }

    @Override
    public String notReadyReason() {
        return StatusDocs.notReady(local.agent().status(), plan().generation());
    }

    @Override
    public boolean releaseGuard(String backend) {
        // The guard belongs to the controller, which plans.
        return false;
    }

    @Override
    public void reconcileNow() {
        local.agent().wake();
    }
}
