package dev.hsdo.cli;

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

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/**
 * The HAProxy beside this process and the agent that keeps it on the plan: the part standalone mode and
 * fleet agents share. Either hsdo starts HAProxy, from a config that already holds every server of the
 * first plan, or ({@code fleet.haproxy-socket}) the user runs it and hsdo only drives its Runtime API.
 */
final class LocalHaproxy implements AutoCloseable {
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
        String initial = ConfigRenderer.render(config, ZoneView.of(first, config, config.fleet().zone()), paths);
        haproxy = new HaproxyProcess(config.haproxy().binary(), paths);
        haproxy.writeChecked(initial);
        // A local socket answers in microseconds: two seconds without an answer means HAProxy is stuck.
        api = SocketRuntimeApi.of(paths.adminSocket().toString(), Duration.ofSeconds(2));
        agent = new Agent(config, api, target(haproxy), paths, initial, clock, metrics);
        haproxy.addListener(n -> agent.haproxyRestarted());
        toClose.add(haproxy);
        haproxy.start();
        // Closed before HAProxy stops: an open CLI session would keep the old worker alive.
        toClose.add(api);
        toClose.add(agent);
        agent.offer(first);
        agent.start();
    }

    // The user runs HAProxy with their own config: the agent only talks to its Runtime API, and renders,
    // writes and reloads nothing.
    private void startExternal(HsdoConfig config, Plan first, Clock clock, AgentMetrics metrics) {
        api = toClose.add(SocketRuntimeApi.of(config.fleet().haproxySocket(), Duration.ofSeconds(2)));
        agent = toClose.add(new Agent(config, api, null, null, null, clock, metrics));
        agent.offer(first);
        agent.start();
    }

    /** Starts HAProxy on {@code first} and the agent's loop; on failure stops what it started and throws. */
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

    /** Stops the agent, the CLI session and HAProxy, in that order. */
    @Override
    public void close() {
        toClose.close();
    }
}
