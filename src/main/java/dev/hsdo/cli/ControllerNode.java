package dev.hsdo.cli;

import dev.hsdo.admin.AdminServer;
import dev.hsdo.admin.AdminView;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.controller.Controller;
import dev.hsdo.controller.ControllerMetrics;
import dev.hsdo.controller.FleetStatus;
import dev.hsdo.model.Plan;
import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.Closer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hsdo controller}: sources → planner → the fleet store, publishing only while it leads, with the
 * admin API showing the fleet (which agent applied which generation).
 */
public final class ControllerNode implements AutoCloseable, AdminView {
    private final HsdoConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Closer toClose = new Closer();
    private Controller controller;
    private AgentRegistry agents;
    private AdminServer admin;

    private ControllerNode(HsdoConfig config) {
        this.config = config;
    }

    /** Connects to the store and starts campaigning and planning; on failure stops what it started. */
    public static ControllerNode start(HsdoConfig config, Clock clock) throws Exception {
        ControllerNode n = new ControllerNode(config);
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
        agents = fleet.agents(config.fleet().statusTtl());
        controller = toClose.add(new Controller(config, Standalone.sources(config, clock), fleet.plans(), clock,
                new ControllerMetrics(registry), fleet.election(config.fleet().controllerId(), config.fleet().leaseTtl())));
        controller.start();
        admin = Standalone.startAdmin(config, this, registry, toClose);
    }

    /** The admin API's port, or -1 when it is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
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
            doc.put("fleet", FleetStatus.of(controller.current().generation(), agents.agents()));
        } catch (StoreException e) {
            doc.put("fleet", Map.of("error", e.getMessage()));
        }
        return doc;
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

    /** Resigns, stops planning and closes the store connection. */
    @Override
    public void close() {
        toClose.close();
    }
}
