package dev.hsdo.cli;

import dev.hsdo.admin.AdminServer;
import dev.hsdo.admin.AdminView;
import dev.hsdo.agent.Agent;
import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.agent.StatusReporter;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.model.Plan;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.Closer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
public final class AgentNode implements AutoCloseable, AdminView {
    private static final Logger log = LoggerFactory.getLogger(AgentNode.class);

    private final HsdoConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Closer toClose = new Closer();
    private LocalHaproxy local;
    private StatusReporter reporter;
    private AdminServer admin;
    private volatile String haproxyVersion;

    private AgentNode(HsdoConfig config) {
        this.config = config;
    }

    /** Connects to the store, starts HAProxy on the stored plan and follows it; on failure stops what it started. */
    public static AgentNode start(HsdoConfig config, Clock clock) throws Exception {
        AgentNode n = new AgentNode(config);
        try {
            n.startAll(clock);
            return n;
        } catch (Exception | Error e) {
            n.close();
            throw e;
        }
    }

    private void startAll(Clock clock) throws Exception {
        FleetStore fleet = toClose.add(FleetStores.open(config.store()));
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
        admin = Standalone.startAdmin(config, this, registry, toClose);
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

    /** The admin API's port, or -1 when it is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
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
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("pid", local.haproxy().pid());
        h.put("starts", local.haproxy().generation());
        doc.put("haproxy", h);
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

    /** Stops following the store, then the agent and HAProxy. */
    @Override
    public void close() {
        toClose.close();
    }
}
