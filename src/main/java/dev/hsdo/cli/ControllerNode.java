package dev.hsdo.cli;

import dev.hsdo.controller.TenantBook;
import dev.hsdo.discovery.tenants.TenantSources;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.PlanJson;
import java.util.List;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.controller.Controller;
import dev.hsdo.controller.ControllerMetrics;
import dev.hsdo.controller.FleetStatus;
import dev.hsdo.model.Plan;
import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.StoreException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hsdo controller}: sources → planner → the fleet store, publishing only while it leads, with the
 * admin API showing the fleet (which agent applied which generation).
 */
public final class ControllerNode extends Node {
    private Controller controller;
    private AgentRegistry agents;
    private Clock clock;

    private ControllerNode(HsdoConfig config) {
        super(config);
    }

    /** Connects to the store and starts campaigning and planning; on failure stops what it started. */
    public static ControllerNode start(HsdoConfig config, Clock clock) throws Exception {
        return startOrClose(new ControllerNode(config), clock);
    }

    @Override
    void startAll(Clock clock) throws Exception {
        this.clock = clock;
        FleetStore fleet = toClose.add(FleetStores.open(config.store(), clock));
        agents = fleet.agents(config.fleet().statusTtl());
        controller = toClose.add(new Controller(config, () -> Standalone.sources(config, clock), fleet.plans(), clock,
                new ControllerMetrics(registry), fleet.election(config.fleet().controllerId(), config.fleet().leaseTtl())));
        if (config.tenants() != null) {
            controller.useTenants(new TenantBook(config.tenants(), TenantSources.create(config.tenants())));
            io.micrometer.core.instrument.Gauge.builder("hsdo.tenants.moves.pending", this, ControllerNode::movesPending)
                    .description("tenant moves some agent does not run yet").register(registry);
        }
        controller.start();
        for (var b : config.backends()) if (b.activeBackup()) agreedGauge(b.name());
        startAdmin();
    }

    // 1 while every agent's HAProxy names the same active server for the backend, 0 when two differ; read
    // from the agents' reports when scraped (NaN while the store does not answer).
    private void agreedGauge(String backend) {
        io.micrometer.core.instrument.Gauge.builder("hsdo.active.backup.agreed", () -> {
            try {
                return FleetStatus.of(0, agents.agents()).activeBackup().stream().filter(a -> a.backend().equals(backend))
                        .findFirst().map(a -> a.agreed() ? 1.0 : 0.0).orElse(1.0);
            } catch (StoreException e) {
                return Double.NaN;
            }
        }).description("1 while all agents agree on the active server of an active/backup backend, 0 when not")
                .tag("backend", backend).register(registry);
    }

    /** The controller. */
    public Controller controller() {
        return controller;
    }

    @Override
    public Plan plan() {
        return controller.current();
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", config.fleet().controllerId());
        c.put("leader", controller.isLeader());
        c.put("leaderId", controller.leaderId());
        doc.put("controller", c);
        doc.put("plan", StatusDocs.plan(controller));
        doc.put("sources", StatusDocs.sources(controller));
        try {
            List<AgentReport> reports = agents.agents();
            FleetStatus fleet = FleetStatus.of(controller.current().generation(), reports);
            if (config.tenants() == null) {
                doc.put("fleet", fleet);
            } else {
                // An agent counts a plan as applied only once its tenant map was verified: the applied
                // generation is the tenant generation.
                @SuppressWarnings("unchecked")
                Map<String, Object> f = PlanJson.mapper().convertValue(fleet, Map.class);
                for (Object a : (List<?>) f.get("agents")) {
                    @SuppressWarnings("unchecked") Map<String, Object> am = (Map<String, Object>) a;
                    am.put("tenantGeneration", am.get("appliedGeneration"));
                }
                doc.put("fleet", f);
                Plan plan = controller.current();
                doc.put("tenants", StatusDocs.tenants(plan.generation(), plan.tenants(), controller, g -> reached(reports, g)));
            }
            if (!fleet.activeBackup().isEmpty()) doc.put("activeBackup", fleet.activeBackup());
        } catch (StoreException e) {
            doc.put("fleet", Map.of("error", e.getMessage()));
        }
        // For the status page: an agent whose report is much older than its renewal interval is stale, judged
        // against this clock rather than the browser's.
        doc.put("now", clock.instant());
        doc.put("statusTtlMs", config.fleet().statusTtl().toMillis());
        return doc;
    }

    // Every live agent runs generation g or a later one (and there is at least one agent).
    private static boolean reached(List<AgentReport> reports, long g) {
        return !reports.isEmpty() && reports.stream().allMatch(r -> r.appliedGeneration() >= g);
    }

    private double movesPending() {
        try {
            List<AgentReport> reports = agents.agents();
            return controller.moves().pending(g -> reached(reports, g));
        } catch (StoreException e) {
            return Double.NaN;
        }
    }

    @Override
    public TenantBook tenantBook() {
        return controller.tenants();
    }

    @Override
    public String notReadyReason() {
        String error = controller.lastError();
        return error == null ? null : "store: " + error;
    }

    @Override
    public boolean releaseGuard(String backend) {
        return controller.releaseGuard(backend);
    }

    @Override
    public void reconcileNow() {
        controller.wake();
    }
}
