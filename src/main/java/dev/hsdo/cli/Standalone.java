package dev.hsdo.cli;

import dev.hsdo.controller.TenantBook;
import dev.hsdo.discovery.tenants.TenantSources;
import dev.hsdo.agent.Agent;
import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.controller.Controller;
import dev.hsdo.controller.ControllerMetrics;
import dev.hsdo.controller.Sources;
import dev.hsdo.discovery.Source;
import dev.hsdo.haproxy.HaproxyProcess;
import dev.hsdo.model.Plan;
import dev.hsdo.store.file.FilePlanStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One process running the controller and the agent for its own HAProxy, on the embedded file store:
 * sources → planner → file store → agent → HAProxy, plus the admin API.
 */
public final class Standalone extends Node {
    private Controller controller;
    private Agent agent;
    private HaproxyProcess haproxy;
    private LocalHaproxy local;

    private Standalone(HsdoConfig config) {
        super(config);
    }

    /** Starts everything; on failure stops what it started and throws. */
    public static Standalone start(HsdoConfig config, Clock clock) throws Exception {
        return startOrClose(new Standalone(config), clock);
    }

    @Override
    void startAll(Clock clock) throws Exception {
        FilePlanStore store = new FilePlanStore(config.store().path(), Duration.ofSeconds(1));
        toClose.add(store);
        controller = new Controller(config, sources(config, clock), store, clock, new ControllerMetrics(registry));
        toClose.add(controller);
        if (config.tenants() != null) controller.useTenants(new TenantBook(config.tenants(), TenantSources.create(config.tenants())));
        Plan first = controller.start();

        local = LocalHaproxy.start(config, first, clock, new AgentMetrics(registry));
        toClose.add(local);
        agent = local.agent();
        haproxy = local.haproxy();
        store.watch(agent::offer);
        // The controller's loop may have published while HAProxy started, before the watch above: hand the
        // agent the plan in force now (it keeps the newest of what it is offered).
        agent.offer(controller.current());

        startAdmin();
    }

    /** A new, not yet started, source for every configured one. */
    static List<Source> sources(HsdoConfig config, Clock clock) {
        List<Source> sources = new ArrayList<>();
        for (var sc : config.sources()) sources.add(Sources.create(sc, clock));
        return sources;
    }

    /** The controller. */
    public Controller controller() {
        return controller;
    }

    /** The agent. */
    public Agent agent() {
        return agent;
    }

    /** The supervised HAProxy. */
    public HaproxyProcess haproxy() {
        return haproxy;
    }

    @Override
    public Plan plan() {
        return controller.current();
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("plan", StatusDocs.plan(controller));
        doc.put("agent", agent.status());
        doc.put("sources", StatusDocs.sources(controller));
        doc.put("haproxy", StatusDocs.haproxy(haproxy, local.api()));
        StatusDocs.activeBackup(doc, agent);
        if (config.tenants() != null) {
            long applied = agent.tenantStatus().generation();
            Map<String, Object> tenants = StatusDocs.tenants(applied, controller.current().tenants(), controller, g -> applied >= g);
            tenants.put("driftRepaired", agent.tenantStatus().driftRepaired());
            tenants.put("lastDriftAt", agent.tenantStatus().lastDriftAt());
            doc.put("tenants", tenants);
        }
        return doc;
    }

    @Override
    public String notReadyReason() {
        return StatusDocs.notReady(agent.status(), controller.current().generation());
    }

    @Override
    public boolean releaseGuard(String backend) {
        return controller.releaseGuard(backend);
    }

    @Override
    public TenantBook tenantBook() {
        return controller.tenants();
    }

    @Override
    public void reconcileNow() {
        agent.wake();
    }
}
