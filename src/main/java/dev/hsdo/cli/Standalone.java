package dev.hsdo.cli;

import dev.hsdo.admin.AdminServer;
import dev.hsdo.admin.AdminView;
import dev.hsdo.agent.Agent;
import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.agent.AgentStatus;
import dev.hsdo.agent.ConfigTarget;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.controller.Controller;
import dev.hsdo.controller.ControllerMetrics;
import dev.hsdo.controller.Sources;
import dev.hsdo.discovery.Source;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.HaproxyException;
import dev.hsdo.haproxy.HaproxyProcess;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.store.file.FilePlanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
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
    private static final Logger log = LoggerFactory.getLogger(Standalone.class);

    private final HsdoConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Controller controller;
    private Agent agent;
    private HaproxyProcess haproxy;
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
        RuntimePaths paths = RuntimePaths.in(config.haproxy().runtimeDir());
        Files.createDirectories(paths.runtimeDir());
        FilePlanStore store = new FilePlanStore(config.store().path(), Duration.ofSeconds(1));
        toClose.add(store);
        List<Source> sources = new ArrayList<>();
        for (var sc : config.sources()) sources.add(Sources.create(sc, clock));
        controller = new Controller(config, sources, store, clock, new ControllerMetrics(registry));
        toClose.add(controller);
        Plan first = controller.start();

        // HAProxy starts from a config that already holds every server of the first plan.
        String initial = ConfigRenderer.render(config, first, paths);
        haproxy = new HaproxyProcess(config.haproxy().binary(), paths);
        haproxy.writeChecked(initial);
        // A local socket answers in microseconds: two seconds without an answer means HAProxy is stuck.
        RuntimeApi api = SocketRuntimeApi.of(paths.adminSocket().toString(), Duration.ofSeconds(2));
        ConfigTarget target = new ConfigTarget() {
            @Override
            public void writeChecked(String text) throws IOException {
                try {
                    haproxy.writeChecked(text);
                } catch (HaproxyException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }

            @Override
            public void reload() throws IOException {
                try {
                    haproxy.reload();
                } catch (HaproxyException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        };
        agent = new Agent(config, api, target, paths, initial, clock, new AgentMetrics(registry));
        haproxy.addListener(n -> agent.haproxyRestarted());
        haproxy.start();
        toClose.add(haproxy);
        // Closed before HAProxy stops: an open CLI session would keep the old worker alive.
        toClose.add(api);
        toClose.add(agent);
        store.watch(agent::offer);
        agent.offer(first);
        agent.start();

        if (config.admin().bind() != null && !config.admin().bind().isEmpty()) {
            admin = new AdminServer(parseBind(config.admin().bind()), this, registry, config.admin().token());
            admin.start();
            toClose.add(admin);
        }
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
        Plan plan = controller.current();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("generation", plan.generation());
        p.put("digest", plan.digest());
        Map<String, Object> backends = new LinkedHashMap<>();
        for (BackendPlan b : plan.backends()) {
            Map<String, Object> bd = new LinkedHashMap<>();
            bd.put("servers", b.servers().size());
            bd.put("heldBack", b.heldBack());
            backends.put(b.name(), bd);
        }
        p.put("backends", backends);
        p.put("storeError", controller.lastError());
        doc.put("plan", p);
        doc.put("agent", agent.status());
        Map<String, Object> sources = new LinkedHashMap<>();
        for (SourceSnapshot s : controller.snapshots().values()) {
            Map<String, Object> sd = new LinkedHashMap<>();
            sd.put("healthy", s.healthy());
            sd.put("error", s.error());
            sd.put("endpoints", s.endpoints().size());
            sd.put("rejected", s.rejected());
            sd.put("readAt", s.readAt());
            sources.put(s.source(), sd);
        }
        doc.put("sources", sources);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("pid", haproxy.pid());
        h.put("starts", haproxy.generation());
        doc.put("haproxy", h);
        return doc;
    }

    @Override
    public String notReadyReason() {
        AgentStatus s = agent.status();
        if (!s.haproxyReachable()) return "HAProxy runtime API unreachable: " + s.lastErrors();
        if (!s.converged()) return "plan " + controller.current().generation() + " not applied yet (applied: "
                + s.appliedGeneration() + ")" + (s.lastErrors().isEmpty() ? "" : " errors: " + s.lastErrors());
        return null;
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
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                log.warn("stopping {} failed", toClose.get(i).getClass().getSimpleName(), e);
            }
        }
        toClose.clear();
    }
}
