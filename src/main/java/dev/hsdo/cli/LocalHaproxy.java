package dev.hsdo.cli;

import dev.hsdo.haproxy.TenantRules;
import dev.hsdo.util.AtomicFiles;
import dev.hsdo.agent.Agent;
import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.agent.ConfigTarget;
import dev.hsdo.agent.ZoneView;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.HaproxyException;
import dev.hsdo.haproxy.HaproxyProcess;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.model.Plan;
import dev.hsdo.util.Closer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/**
 * The HAProxy beside this process and the agent that keeps it on the plan: the part standalone mode and
 * fleet agents share. Either hsdo runs HAProxy, or ({@code fleet.haproxy-socket}) the user runs it and hsdo
 * only drives its Runtime API.
 *
 * <p>When hsdo runs it, it first adopts the HAProxy a previous hsdo left running in the runtime directory;
 * only when there is none does it start one, from a config that already holds every server of the first
 * plan. When hsdo stops, HAProxy keeps serving unless {@code haproxy.stop-with-hsdo} is set.
 */
final class LocalHaproxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalHaproxy.class);

    private final Closer toClose = new Closer();
    private HaproxyProcess haproxy;
    private RuntimeApi api;
    private Agent agent;

    private LocalHaproxy() {}

    private void startAll(HsdoConfig config, Plan first, Clock clock, AgentMetrics metrics) throws Exception {
        if (config.fleet().haproxySocket() != null) {
            startExternal(config, first, clock, metrics);
            return;
        }
        RuntimePaths paths = RuntimePaths.in(config.haproxy().runtimeDir());
        Files.createDirectories(paths.runtimeDir());
        haproxy = new HaproxyProcess(config.haproxy().binary(), paths);
        boolean adopted = haproxy.adopt();
        // Closed last. By default HAProxy outlives hsdo, so that restarting hsdo never touches the data path.
        if (config.haproxy().stopWithHsdo()) toClose.add(haproxy);
        else toClose.add(haproxy::release);
        String running;
        if (adopted) {
            // What the adopted HAProxy runs: the agent reloads only if the config beyond servers now differs,
            // and brings the servers in step through the Runtime API from what HAProxy reports.
            running = runningConfig(paths);
        } else {
            running = ConfigRenderer.render(config, ZoneView.of(first, config, config.fleet().zone()), paths);
            // haproxy -c and the start both load the tenant map: it must exist, with the first plan's table.
            if (config.tenants() != null)
                AtomicFiles.write(config.tenants().mapFile(), TenantRules.mapText(config.tenants(), first.tenants()));
            haproxy.writeChecked(running);
        }
        // A local socket answers in microseconds: two seconds without an answer means HAProxy is stuck.
        api = SocketRuntimeApi.of(paths.adminSocket().toString(), Duration.ofSeconds(2));
        agent = new Agent(config, api, target(haproxy), paths, running, clock, metrics);
        haproxy.addListener(n -> agent.haproxyRestarted());
        if (!adopted) haproxy.start();
        // Closed before HAProxy stops: an open CLI session would keep the old worker alive.
        toClose.add(api);
        toClose.add(agent);
        // No plan yet (generation 0: nothing stored, nothing saved): an adopted HAProxy keeps the servers it
        // has until the first real plan arrives, rather than being emptied.
        if (!adopted || first.generation() > 0) agent.offer(first);
        agent.start();
    }

    // The config file the adopted HAProxy was started or last reloaded from, or null when it cannot be read
    // (then the agent writes its own and reloads once, to be sure).
    private static String runningConfig(RuntimePaths paths) {
        try {
            return Files.readString(paths.configFile());
        } catch (IOException e) {
            log.warn("cannot read {} of the adopted haproxy: {}; it will be reloaded with hsdo's", paths.configFile(),
                    e.getMessage());
            return null;
        }
    }

    // The user runs HAProxy with their own config: the agent only talks to its Runtime API, and renders,
    // writes and reloads nothing.
    private void startExternal(HsdoConfig config, Plan first, Clock clock, AgentMetrics metrics) {
        api = toClose.add(SocketRuntimeApi.of(config.fleet().haproxySocket(), Duration.ofSeconds(2)));
        agent = toClose.add(new Agent(config, api, null, null, null, clock, metrics));
        agent.offer(first);
        agent.start();
    }

    /**
     * Adopts the running HAProxy or starts one on {@code first}, and starts the agent's loop on {@code first};
     * on failure stops what it started (an adopted HAProxy keeps running) and throws.
     */
    static LocalHaproxy start(HsdoConfig config, Plan first, Clock clock, AgentMetrics metrics) throws Exception {
        LocalHaproxy l = new LocalHaproxy();
        try {
            l.startAll(config, first, clock, metrics);
            return l;
        } catch (Exception | Error e) {
            l.close();
            throw e;
        }
    }

    private static ConfigTarget target(HaproxyProcess haproxy) {
        return new ConfigTarget() {
            @Override
            public void writeChecked(String text) throws IOException {
                try {
                    haproxy.writeChecked(text);
                } catch (HaproxyException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }

            @Override
            public void write(String text) throws IOException {
                haproxy.writeConfig(text);
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
    }

    Agent agent() {
        return agent;
    }

    /** The supervised HAProxy, or null when the user runs it. */
    HaproxyProcess haproxy() {
        return haproxy;
    }

    RuntimeApi api() {
        return api;
    }

    /** Stops the agent and the CLI session, then stops HAProxy or (by default) leaves it serving. */
    @Override
    public void close() {
        toClose.close();
    }
}
