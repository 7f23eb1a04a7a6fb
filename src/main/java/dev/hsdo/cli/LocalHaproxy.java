package dev.hsdo.cli;

import dev.hsdo.agent.Agent;
import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.agent.ConfigTarget;
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
 * hsdo's own HAProxy and the agent that keeps it on the plan: the part standalone mode and fleet agents
 * share. HAProxy starts from a config that already holds every server of the first plan.
 */
final class LocalHaproxy implements AutoCloseable {
    private final Closer toClose = new Closer();
    private HaproxyProcess haproxy;
    private RuntimeApi api;
    private Agent agent;

    private LocalHaproxy() {}

    private void startAll(HsdoConfig config, Plan first, Clock clock, AgentMetrics metrics) throws Exception {
        RuntimePaths paths = RuntimePaths.in(config.haproxy().runtimeDir());
        Files.createDirectories(paths.runtimeDir());
        String initial = ConfigRenderer.render(config, first, paths);
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
