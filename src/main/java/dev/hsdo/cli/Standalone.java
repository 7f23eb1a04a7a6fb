package dev.hsdo.cli;

import dev.hsdo.admin.AdminServer;
import dev.hsdo.admin.AdminView;
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
import dev.hsdo.util.Closer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.InetSocketAddress;
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
public final class Standalone implements AutoCloseable, AdminView {
    private final HsdoConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Closer toClose = new Closer();
    private Controller controller;
    private Agent agent;
    private HaproxyProcess haproxy;
    private LocalHaproxy local;
    private AdminServer admin;

    private Standalone(HsdoConfig config) {
        this.config = config;
    }

    /** Starts everything; on failure stops what it started and throws. */
    public static Standalone start(HsdoConfig config, Clock clock) throws Exception {
        Standalone s = new Standalone(config);
        try {
            s.startAll(clock);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void startAll(Clock clock) throws Exception {
        FilePlanStore store = new FilePlanStore(config.store().path(), Duration.ofSeconds(1));
        toClose.add(store);
        controller = new Controller(config, sources(config, clock), store, clock, new ControllerMetrics(registry));
        toClose.add(controller);
        Plan first = controller.start();

        local = LocalHaproxy.start(config, first, clock, new AgentMetrics(registry));
        toClose.add(local);
        agent = local.agent();
        haproxy = local.haproxy();
        store.watch(agent::offer);

        admin = startAdmin(config, this, registry, toClose);
    }

    /** A new, not yet started, source for every configured one. */
    static List<Source> sources(HsdoConfig config, Clock clock) {
        List<Source> sources = new ArrayList<>();
        for (var sc : config.sources()) sources.add(Sources.create(sc, clock));
        return sources;
    }

    /** Starts the admin API where configured, registered with {@code closer}; null when it is disabled. */
    static AdminServer startAdmin(HsdoConfig config, AdminView view, PrometheusMeterRegistry registry, Closer closer)
            throws java.io.IOException {
        if (config.admin().bind() == null || config.admin().bind().isEmpty()) return null;
        AdminServer admin = closer.add(new AdminServer(parseBind(config.admin().bind()), view, registry, config.admin().token()));
        admin.start();
        return admin;
    }

    static InetSocketAddress parseBind(String bind) {
        int colon = bind.lastIndexOf(':');
        String host = bind.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.equals("*")) host = "0.0.0.0";
        return new InetSocketAddress(host, Integer.parseInt(bind.substring(colon + 1)));
    }

    /** The admin API's port, or -1 when it is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
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
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("pid", haproxy.pid());
        h.put("starts", haproxy.generation());
        doc.put("haproxy", h);
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
    public void reconcileNow() {
        agent.wake();
    }

    /** Stops everything it started, newest first. */
    @Override
    public void close() {
        toClose.close();
    }
}
