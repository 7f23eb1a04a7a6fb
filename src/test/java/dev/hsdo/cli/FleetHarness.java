package dev.hsdo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.Plan;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.PlanJson;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.ServerFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet for integration tests: controllers as real {@code hsdo controller} processes (so they can be
 * killed), agents in this JVM each with its own HAProxy, tiny origins, and the servers file the
 * controllers' file source reads. The store is whatever YAML {@code store} mapping the test gives.
 */
final class FleetHarness implements AutoCloseable {
    static final int URIS = 1000;
    private static final Duration CONVERGE = Duration.ofSeconds(20);

    private final Path dir;
    private final String storeYaml;
    private final Origins origins;
    private final Path servers;
    private final Map<String, ControllerProcess> controllers = new LinkedHashMap<>();
    private final Map<String, AgentNode> agents = new LinkedHashMap<>();
    private final Map<String, Integer> frontends = new LinkedHashMap<>();
    private final Supplier<Plan> storedPlan;
    private final Map<String, String> controllerEnv = new LinkedHashMap<>();
    private String backendOptions = "";

    /**
     * @param storeYaml the {@code store:} mapping, e.g. {@code {type: etcd, endpoints: [...]}}
     * @param reader    a client of that store, for the test's own checks of the stored plan
     */
    FleetHarness(Path dir, String storeYaml, FleetStore reader, String... originNames) {
        this.dir = dir;
        this.storeYaml = storeYaml;
        this.storedPlan = () -> {
            try {
                return reader.plans().current().orElse(null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        this.origins = Origins.start(dir, originNames);
        this.servers = dir.resolve("servers.yaml");
        ServerFile.writeRaw(servers, "servers: []\n");
    }

    /** Environment variables for controller processes started from now on. */
    FleetHarness controllerEnv(String name, String value) {
        controllerEnv.put(name, value);
        return this;
    }

    /** Extra keys for the backend's flow mapping, e.g. {@code health-check: {enabled: false}}, for members started from now on. */
    FleetHarness backendOptions(String options) {
        this.backendOptions = ", " + options;
        return this;
    }

    /** The config text every member shares; the frontend port, fleet section and admin differ. */
    private String config(int frontend, String fleet, String admin) {
        return """
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends: [{name: app, balance: uri, sources: [servers]%s}]
                sources: [{name: servers, type: file, path: %s}]
                reconcile-interval: 1s
                drain-period: 0s
                guard: {max-removal-fraction: 1}
                admin: {bind: "%s"}
                store: %s
                fleet: %s
                """.formatted(frontend, backendOptions, servers, admin, storeYaml, fleet);
    }

    /** Starts {@code hsdo controller} as a child process with id {@code id} and the given lease. */
    ControllerProcess startController(String id, Duration leaseTtl) {
        Path home = mkdirs(dir.resolve("controller-" + id));
        int admin = Ports.free();
        Path cfg = home.resolve("hsdo.yaml");
        write(cfg, config(Ports.free(), "{controller-id: %s, lease-ttl: %dms}".formatted(id, leaseTtl.toMillis()),
                "127.0.0.1:" + admin));
        ControllerProcess c = new ControllerProcess(id, cfg, admin, home.resolve("controller.log"), controllerEnv);
        controllers.put(id, c);
        return c;
    }

    /** Starts agent {@code id} in zone {@code zone} with its own HAProxy. */
    AgentNode startAgent(String id, String zone) throws Exception {
        return startAgent(id, "{agent-id: %s, zone: %s, status-ttl: 10s}".formatted(id, zone), "");
    }

    /**
     * Starts an agent with its own home {@code home} (its data directory and HAProxy), the {@code fleet:}
     * mapping {@code fleetYaml} and the admin bind {@code admin} (empty: none); the test refers to it as
     * {@code home}.
     */
    AgentNode startAgent(String home, String fleetYaml, String admin) throws Exception {
        Path dirOf = mkdirs(dir.resolve("agent-" + home));
        int frontend = frontends.computeIfAbsent(home, k -> Ports.free());
        Path cfg = dirOf.resolve("hsdo.yaml");
        write(cfg, config(frontend, fleetYaml, admin));
        HsdoConfig config = ConfigLoader.load(cfg, Map.of());
        AgentNode a = AgentNode.start(config, Clock.systemUTC());
        agents.put(home, a);
        return a;
    }

    /** The origins' ports by name. */
    Map<String, Integer> originPorts() {
        return origins.ports();
    }

    /** Stops agent {@code id} and its HAProxy. */
    void stopAgent(String id) {
        AgentNode a = agents.remove(id);
        if (a != null) a.close();
    }

    AgentNode agent(String id) {
        return agents.get(id);
    }

    /** The controllers still running. */
    Map<String, ControllerProcess> controllers() {
        return controllers;
    }

    /** Waits until exactly one running controller leads, and returns it. */
    ControllerProcess awaitLeader() {
        await().atMost(Duration.ofSeconds(10)).until(() -> controllers.values().stream()
                .filter(ControllerProcess::leads).count() == 1);
        return controllers.values().stream().filter(ControllerProcess::leads).findFirst().orElseThrow();
    }

    /** The servers file lists these origins, in this order. */
    void serve(List<String> names) {
        List<String> entries = new ArrayList<>();
        for (String n : names) entries.add("address: 127.0.0.1, port: " + origins.port(n));
        ServerFile.write(servers, entries);
    }

    /** The servers file lists these raw entries (each the inside of a flow mapping). */
    void serveEntries(List<String> entries) {
        ServerFile.write(servers, entries);
    }

    /**
     * Waits until the stored plan has exactly {@code expected}'s servers and every running agent applied that
     * plan; returns it.
     */
    Plan awaitConverged(List<String> expected) {
        return awaitIdentities(expected.stream().map(n -> "127.0.0.1:" + origins.port(n)).sorted().toList(), CONVERGE);
    }

    /** Waits until the stored plan's servers have exactly {@code identities} (sorted) and every running agent applied it. */
    Plan awaitIdentities(List<String> identities, Duration bound) {
        Plan[] plan = new Plan[1];
        await().atMost(bound).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
            Plan p = storedPlan.get();
            if (p == null || p.backend("app") == null) return false;
            List<String> have = p.backend("app").servers().stream().map(s -> s.identity()).sorted().toList();
            if (!have.equals(identities)) return false;
            plan[0] = p;
            return agents.values().stream().allMatch(a -> a.agent().status().converged()
                    && a.agent().status().appliedGeneration() == p.generation());
        });
        return plan[0];
    }

    /** Which origin answers each of {@value #URIS} URIs through agent {@code id}'s HAProxy. */
    Map<String, String> routing(String id) {
        Map<String, String> owner = new LinkedHashMap<>();
        for (int k = 0; k < URIS; k++) owner.put("/obj/" + k, Http.get(frontends.get(id), "/obj/" + k).trim());
        return owner;
    }

    /** Asserts that every running agent routes every URI to the same origin, and that all of {@code names} get some. */
    Map<String, String> assertSameRouting(List<String> names) {
        Map<String, String> first = null;
        for (String id : agents.keySet()) {
            Map<String, String> r = routing(id);
            if (first == null) {
                first = r;
                assertThat(r.values()).containsAll(names);
            } else {
                assertThat(r).as("agent %s routes like the first", id).isEqualTo(first);
            }
        }
        return first;
    }

    @Override
    public void close() {
        for (AgentNode a : agents.values()) a.close();
        agents.clear();
        for (ControllerProcess c : controllers.values()) c.kill();
        origins.close();
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One {@code hsdo controller} process, run from the shaded jar. */
    static final class ControllerProcess {
        final String id;
        final int adminPort;
        private final Path log;
        private final Process process;

        ControllerProcess(String id, Path config, int adminPort, Path log, Map<String, String> env) {
            this.id = id;
            this.adminPort = adminPort;
            this.log = log;
            String java = ProcessHandle.current().info().command().orElse("java");
            String jar = System.getProperty("hsdo.jar", "target/hsdo.jar");
            try {
                ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar,
                        "controller", "-c", config.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(env);
                this.process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start hsdo controller " + id, e);
            }
        }

        /** The controller's {@code /api/v1/status}. */
        JsonNode status() {
            try {
                return PlanJson.mapper().readTree(Http.get(adminPort, "/api/v1/status"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Whether it says it leads; false while it cannot answer. */
        boolean leads() {
            try {
                return status().path("controller").path("leader").asBoolean(false);
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** Kills it with SIGKILL: no resignation, its lease has to expire. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
