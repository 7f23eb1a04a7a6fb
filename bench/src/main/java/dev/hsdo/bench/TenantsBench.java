package dev.hsdo.bench;

import dev.hsdo.cli.AgentNode;
import dev.hsdo.cli.ControllerNode;
import dev.hsdo.cli.Standalone;
import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant map at scale and in a fleet, on real HAProxy:
 * <ol>
 *   <li>standalone hsdo, a table of N tenants (default 1 000 000) imported at once: time from the import to
 *   "HAProxy verified to hold it" (a {@code prepare map}/{@code commit map} swap), HAProxy's RSS before and after,
 *   then one tenant moved in that table (an entry-by-entry change), and the first request answered by the new shard;</li>
 *   <li>one controller and three agents over etcd, the table under an etcd prefix: M moves (default 50) through the
 *   controller, each timed from the write until every agent's HAProxy answers the moved tenant from its new shard.</li>
 * </ol>
 * Everything runs on 127.0.0.1; hsdo's nodes run in this JVM, etcd and HAProxy as child processes.
 */
public final class TenantsBench {
    private static final Duration BOUND = Duration.ofMinutes(3);

    private TenantsBench() {}

    public static void main(String[] args) throws Exception {
        String usage = "TenantsBench <work dir> [tenants] [moves]";
        Path dir = Args.workDir(args, usage);
        int tenants = Args.positive(args, 1, "tenants", 1_000_000);
        int moves = Args.positive(args, 2, "moves", 50);
        List<Integer> ports = Haproxy.freePorts(16);
        try (Haproxy origins = Haproxy.origins(dir, ports.subList(0, 4))) {
            large(Files.createDirectories(dir.resolve("large")), ports, tenants);
            fleet(Files.createDirectories(dir.resolve("fleet")), ports, moves);
        }
    }

    private static String yaml(Path dir, List<Integer> ports, int frontend, int admin) throws Exception {
        StringBuilder b = new StringBuilder("""
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: be1}]
                reconcile-interval: 1s
                admin: {bind: "127.0.0.1:%d", token: bench}
                backends:
                """.formatted(frontend, admin));
        for (int i = 1; i <= 4; i++) b.append("  - {name: be").append(i).append(", balance: roundrobin, sources: [src").append(i).append("]}\n");
        b.append("sources:\n");
        for (int i = 1; i <= 4; i++) {
            Files.writeString(dir.resolve("servers" + i + ".yaml"), "servers:\n  - {name: o" + i + ", address: 127.0.0.1, port: " + ports.get(i - 1) + "}\n");
            b.append("  - {name: src").append(i).append(", type: file, path: servers").append(i).append(".yaml}\n");
        }
        return b.toString();
    }

    private static HsdoConfig config(Path dir, String text) throws Exception {
        Path f = dir.resolve("hsdo.yaml");
        Files.writeString(f, text);
        return ConfigLoader.load(f, Map.of());
    }

    private static void large(Path dir, List<Integer> ports, int n) throws Exception {
        System.out.println("== " + n + " tenants, standalone ==");
        int frontend = ports.get(4);
        HsdoConfig config = config(dir, yaml(dir, ports, frontend, ports.get(5)) + """
                store: {type: file, path: ./state/plan.json}
                tenants: {shards: {s1: be1, s2: be2, s3: be3, s4: be4}, default-shard: s1}
                """);
        try (Standalone hsdo = Standalone.start(config, Clock.systemUTC())) {
            await(() -> hsdo.agent().status().converged(), "first plan applied");
            long rssBefore = rss(dir);
            Map<String, String> table = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) table.put("tenant" + i, "s" + (i % 4 + 1));
            long t0 = System.nanoTime();
            hsdo.tenantBook().write(table, true);
            await(() -> hsdo.agent().tenantStatus().entries() == n, "table applied");
            long applied = System.nanoTime() - t0;
            long rssAfter = rss(dir);
            System.out.printf("import → verified in HAProxy: %.2f s; HAProxy RSS %d MB → %d MB (+%d MB)%n", applied / 1e9,
                    rssBefore / 1024, rssAfter / 1024, (rssAfter - rssBefore) / 1024);
            long t1 = System.nanoTime();
            hsdo.tenantBook().write(Map.of("tenant7", "s1"), false);
            await(() -> "o1".equals(ask(frontend, "tenant7")), "moved tenant on its new shard");
            System.out.printf("one move in the %d-tenant table → served by the new shard: %.0f ms%n", n, (System.nanoTime() - t1) / 1e6);
        }
    }

    private static void fleet(Path dir, List<Integer> ports, int moves) throws Exception {
        System.out.println("== tenant moves, 1 controller + 3 agents on etcd ==");
        int etcdClient = ports.get(6), etcdPeer = ports.get(7);
        try (Child etcd = Child.etcd(dir, etcdClient, etcdPeer)) {
            String endpoint = "http://127.0.0.1:" + etcdClient;
            String tail = """
                    store: {type: etcd, endpoints: [%s], prefix: /bench}
                    tenants:
                      shards: {s1: be1, s2: be2, s3: be3, s4: be4}
                      default-shard: s1
                      source: {type: etcd, endpoints: [%s], prefix: /bench-tenants/}
                    """.formatted(endpoint, endpoint);
            Path cd = Files.createDirectories(dir.resolve("controller"));
            List<AutoCloseable> nodes = new ArrayList<>();
            try {
                ControllerNode controller = ControllerNode.start(config(cd, yaml(cd, ports, ports.get(8), ports.get(9)) + tail
                        + "fleet: {controller-id: c1}\n"), Clock.systemUTC());
                nodes.add(controller);
                List<Integer> frontends = List.of(ports.get(10), ports.get(11), ports.get(12));
                List<AgentNode> agents = new ArrayList<>();
                for (int a = 0; a < 3; a++) {
                    Path ad = Files.createDirectories(dir.resolve("agent" + a));
                    agents.add(AgentNode.start(config(ad, yaml(ad, ports, frontends.get(a), ports.get(13 + a)) + tail
                            + "fleet: {agent-id: a" + a + "}\n"), Clock.systemUTC()));
                    nodes.add(agents.getLast());
                }
                Map<String, String> table = new LinkedHashMap<>();
                for (int i = 0; i < 1000; i++) table.put("tenant" + i, "s" + (i % 4 + 1));
                controller.tenantBook().write(table, true);
                for (int fe : frontends) await(() -> "o2".equals(ask(fe, "tenant1")), "table on every agent");
                // The import is written in several etcd transactions, so several plans: the moves start once every
                // agent has applied the last one, not while agents still work on the import.
                await(() -> agents.stream().allMatch(a -> a.agent().status().converged()
                        && a.agent().status().appliedGeneration() == controller.controller().current().generation()
                        && a.agent().tenantStatus().entries() == 1000), "import applied by every agent");
                Samples all = new Samples();
                for (int m = 0; m < moves; m++) {
                    String tenant = "tenant" + (m * 7 % 1000);
                    String now = ask(frontends.getFirst(), tenant);
                    int next = (Integer.parseInt(now.substring(1)) % 4) + 1;
                    long t0 = System.nanoTime();
                    controller.tenantBook().write(Map.of(tenant, "s" + next), false);
                    for (int fe : frontends) {
                        await(() -> ("o" + next).equals(ask(fe, tenant)), "move seen");
                    }
                    all.add(System.nanoTime() - t0);
                }
                System.out.printf("%d moves, write → every agent's HAProxy serves the new shard: p50 %.1f ms, p90 %.1f ms, "
                                + "p99 %.1f ms, max %.1f ms%n", all.size(), all.medianMs(), all.percentileMs(0.9),
                        all.percentileMs(0.99), all.maxMs());
                // Where the tail is: the first moves run on a JVM still compiling the path.
                System.out.println("slowest moves (number: ms): " + all.slowest(5));
            } finally {
                for (int i = nodes.size() - 1; i >= 0; i--) nodes.get(i).close();
            }
        }
    }

    // One kept-alive connection per frontend, used from the main thread only: a poll is a write and a read on it,
    // rather than a hand-off through an HTTP client's selector and worker threads, which took CPU from the nodes
    // measured and added milliseconds to each of the three frontends polled in turn.
    private static final Map<Integer, Connection> CONNECTIONS = new java.util.HashMap<>();

    private record Connection(Socket socket, InputStream in) {}

    private static String ask(int port, String tenant) {
        // A kept connection HAProxy has closed meanwhile fails once: the second attempt is on a new one.
        String got = askOnce(port, tenant);
        return got.equals("error") ? askOnce(port, tenant) : got;
    }

    private static String askOnce(int port, String tenant) {
        try {
            Connection c = CONNECTIONS.get(port);
            if (c == null) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(2000);
                s.setTcpNoDelay(true);
                c = new Connection(s, new BufferedInputStream(s.getInputStream()));
                CONNECTIONS.put(port, c);
            }
            c.socket().getOutputStream().write(("GET / HTTP/1.1\r\nHost: bench\r\nCookie: username=" + tenant + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return body(c.in());
        } catch (IOException | RuntimeException e) {
            Connection c = CONNECTIONS.remove(port);
            try {
                if (c != null) c.socket().close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing left to do
            }
            return "error";
        }
    }

    /** The body of one HTTP/1.1 response with a Content-Length (what the origins' http-request return sends). */
    private static String body(InputStream in) throws IOException {
        int length = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed");
            if (c == '\r') continue;
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.isEmpty()) break;
            String h = line.toString().toLowerCase(java.util.Locale.ROOT);
            if (h.startsWith("content-length:")) length = Integer.parseInt(h.substring(15).strip());
            line.setLength(0);
        }
        if (length < 0) throw new IOException("no content-length");
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII).strip();
    }

    private static long rss(Path dir) {
        long kb = 0;
        for (long pid : Procs.haproxies(dir.resolve("run/haproxy.cfg"))) kb += Procs.rssKb(pid);
        return kb;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    // Polls every millisecond: fine enough for what is measured, and leaves the CPU to hsdo and HAProxy.
    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for: " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
