package dev.hsdo.bench;

import dev.hsdo.agent.AgentStatus;
import dev.hsdo.cli.AgentNode;
import dev.hsdo.cli.ControllerNode;
import dev.hsdo.config.ConfigLoader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Fleet convergence: from a change at the source (the servers file replaced) to "every agent applied the
 * new plan and its HAProxy answers through the frontend", for one controller and three agents, each
 * agent with its own HAProxy, over etcd (watch) and over DynamoDB Local (polling). The controller and the
 * agents run in this JVM; etcd and DynamoDB Local are child processes; everything is on 127.0.0.1.
 *
 * <p>Each change adds or removes one server (so every change is one new plan generation). Between changes
 * the benchmark waits a random time, so a polling store is met at a random phase of its loop.
 */
public final class ConvergenceBench {
    private static final Duration LIMIT = Duration.ofMinutes(20);
    private static final Duration CHANGE_BOUND = Duration.ofSeconds(30);
    private static final int WARMUP = 5;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ConvergenceBench() {}

    @SuppressWarnings("try") // the watchdog is only armed and disarmed
    public static void main(String[] args) throws Exception {
        String usage = "ConvergenceBench <work dir> <DynamoDB Local classpath file> [changes] [poll ms]";
        Path dir = Args.workDir(args, usage);
        if (args.length < 2) throw new IllegalArgumentException("usage: " + usage);
        String dynamoClasspath = Files.readString(Path.of(args[1])).strip();
        int changes = Args.positive(args, 2, "changes", 100);
        int pollMs = Args.positive(args, 3, "poll ms", 1000);
        // DynamoDB Local takes any credentials; the SDK's default chain reads these.
        System.setProperty("aws.accessKeyId", "bench");
        System.setProperty("aws.secretAccessKey", "bench");

        List<Integer> ports = Haproxy.freePorts(12);
        List<Integer> origins = ports.subList(0, 5);
        List<Integer> frontends = ports.subList(5, 8);
        int etcdClient = ports.get(8), etcdPeer = ports.get(9), dynamoPort = ports.get(10);

        try (Watchdog ignored = Watchdog.arm(LIMIT); Haproxy originProcess = Haproxy.origins(dir, origins)) {
            Samples etcd;
            try (Child member = Child.etcd(dir, etcdClient, etcdPeer)) {
                etcd = run(dir.resolve("etcd-fleet"), "{type: etcd, endpoints: [\"http://127.0.0.1:%d\"], prefix: /bench}"
                        .formatted(etcdClient), origins, frontends, changes, 50);
            }
            Samples dynamo;
            String java = ProcessHandle.current().info().command().orElse("java");
            try (Child local = Child.start(List.of(java, "-cp", dynamoClasspath,
                    "com.amazonaws.services.dynamodbv2.local.main.ServerRunner", "-inMemory", "-port", String.valueOf(dynamoPort),
                    "-disableTelemetry"), dir.resolve("dynamodb.log"), dynamoPort)) {
                dynamo = run(dir.resolve("dynamo-fleet"), ("{type: dynamodb, table: bench, region: us-east-1, "
                        + "endpoint: \"http://127.0.0.1:%d\", prefix: /bench, poll-interval: %dms}").formatted(dynamoPort, pollMs),
                        origins, frontends, changes, pollMs);
            }
            System.out.printf(Locale.ROOT, "%n%-44s %8s %8s %8s %8s %8s%n", "store (1 controller, 3 agents)", "changes", "p50", "p99", "max", "mean");
            print("etcd watch", etcd);
            print("DynamoDB Local, poll every " + pollMs + " ms", dynamo);
            print("HSDO design, two 1 s loops (model, no work)", hsdoModel(frontends.size()));
        }
    }

    /**
     * HSDO's design as a model, without any work: the server reads the source every 1 s and every client
     * reads the table every 1 s, each loop at its own phase, so a change waits U(0,1) s for the server and then
     * the slowest of the clients' U(0,1) s. 100 000 draws with a fixed seed.
     */
    private static Samples hsdoModel(int clients) {
        Random random = new Random(1);
        Samples s = new Samples();
        for (int i = 0; i < 100_000; i++) {
            double wait = random.nextDouble();
            double slowest = 0;
            for (int c = 0; c < clients; c++) slowest = Math.max(slowest, random.nextDouble());
            s.add((long) ((wait + slowest) * 1e9));
        }
        return s;
    }

    private static void print(String label, Samples s) {
        System.out.printf(Locale.ROOT, "%-44s %8d %5.1f ms %5.1f ms %5.1f ms %5.1f ms%n", label, s.size(),
                s.percentileMs(0.5), s.percentileMs(0.99), s.maxMs(), s.meanMs());
    }

    /** One fleet on {@code storeYaml}: warm-up, then {@code changes} measured changes. */
    private static Samples run(Path home, String storeYaml, List<Integer> origins, List<Integer> frontends, int changes,
                               int maxPauseMs) throws Exception {
        Files.createDirectories(home);
        Path servers = home.resolve("servers.yaml");
        writeServers(servers, origins.subList(0, 4));
        List<AutoCloseable> running = new ArrayList<>();
        try {
            ControllerNode controller = ControllerNode.start(config(home, "controller", storeYaml, servers, frontends.get(0), "{}"),
                    Clock.systemUTC());
            running.add(controller);
            List<AgentNode> agents = new ArrayList<>();
            for (int a = 0; a < frontends.size(); a++) {
                AgentNode agent = AgentNode.start(config(home, "agent" + a, storeYaml, servers, frontends.get(a),
                        "{agent-id: a" + a + "}"), Clock.systemUTC());
                running.add(agent);
                agents.add(agent);
            }
            awaitApplied(agents, frontends, 1);
            Samples samples = new Samples();
            Random random = new Random(42);
            for (int i = 0; i < WARMUP + changes; i++) {
                long generation = controller.controller().current().generation();
                writeServers(servers, i % 2 == 0 ? origins : origins.subList(0, 4));
                long start = System.nanoTime();
                awaitApplied(agents, frontends, generation + 1);
                if (i >= WARMUP) samples.add(System.nanoTime() - start);
                Thread.sleep(random.nextInt(maxPauseMs) + 1);
            }
            return samples;
        } finally {
            for (AutoCloseable c : running.reversed()) c.close();
        }
    }

    private static dev.hsdo.config.HsdoConfig config(Path home, String name, String store, Path servers, int frontend,
                                                     String fleet) throws IOException {
        Path dir = Files.createDirectories(home.resolve(name));
        Path cfg = dir.resolve("hsdo.yaml");
        Files.writeString(cfg, """
                haproxy: {runtime-dir: ./run}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends: [{name: app, balance: uri, sources: [servers]}]
                sources: [{name: servers, type: file, path: %s}]
                drain-period: 0s
                guard: {max-removal-fraction: 1}
                admin: {bind: ""}
                store: %s
                fleet: %s
                """.formatted(frontend, servers, store, fleet));
        return ConfigLoader.load(cfg, Map.of());
    }

    /** Replaces the servers file the way an operator's tool would: aside, then rename. */
    static void writeServers(Path file, List<Integer> ports) throws IOException {
        StringBuilder b = new StringBuilder("servers:\n");
        for (int p : ports) b.append("  - {address: 127.0.0.1, port: ").append(p).append("}\n");
        Path tmp = Files.createTempFile(file.getParent(), ".servers", ".tmp");
        Files.writeString(tmp, b.toString());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Spins until every agent verified generation {@code generation} on its HAProxy and each frontend answers. */
    private static void awaitApplied(List<AgentNode> agents, List<Integer> frontends, long generation) throws Exception {
        long deadline = System.nanoTime() + CHANGE_BOUND.toNanos();
        for (AgentNode a : agents) {
            while (true) {
                AgentStatus s = a.agent().status();
                if (s.converged() && s.appliedGeneration() >= generation) break;
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException("generation " + generation + " not applied within " + CHANGE_BOUND + ": " + s);
                LockSupport.parkNanos(100_000);
            }
        }
        for (int port : frontends) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/k"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("frontend " + port + " answered " + r.statusCode());
        }
    }
}
