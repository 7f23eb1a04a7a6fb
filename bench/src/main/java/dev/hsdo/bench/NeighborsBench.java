package dev.hsdo.bench;

import dev.hsdo.cli.Sidecar;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * HAProxy's own DNS discovery ({@code resolvers} + {@code server-template}, defaults) against hsdo sidecars,
 * side by side in one run on the same BIND 9 and the same six origins: agreement of two instances after one
 * restarts, keys moved by a remove and re-add, a 60 s DNS outage, and how fast an added record serves.
 * Every instance has its own SRV name carrying the same records, changed in the same update.
 *
 * <p>Usage: {@code NeighborsBench <work dir> [trials]}.
 */
public final class NeighborsBench {
    private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5", "n6");
    private static final int URIS = 1000;
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofMinutes(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NeighborsBench() {}

    /** One HAProxy under test, whatever configures it. */
    private interface Instance extends AutoCloseable {
        String label();

        int frontend();

        /** HAProxy's {@code show servers state} of the backend. */
        String state() throws IOException;

        /** The ports of the servers HAProxy reports up and in no maintenance or drain. */
        default Set<Integer> serving() throws IOException {
            return servingPorts(state());
        }

        void restart() throws Exception;
    }

    /** HAProxy alone: resolvers + server-template, HAProxy's defaults for the hold timers. */
    private static final class Native implements Instance {
        private final Path dir;
        private final String name;
        private final int frontend;
        private final String body;
        private Haproxy haproxy;

        Native(Path dir, String name, int frontend, int dnsPort, String srv) throws Exception {
            this.dir = dir;
            this.name = name;
            this.frontend = frontend;
            this.body = """
                    resolvers dns
                      nameserver ns1 127.0.0.1:%d
                      accepted_payload_size 8192
                    frontend fe
                      bind 127.0.0.1:%d
                      default_backend be
                    backend be
                      balance uri
                      hash-type consistent
                      option httpchk
                      http-check send meth OPTIONS
                      server-template s 1-10 %s resolvers dns init-addr none check inter 2s
                    """.formatted(dnsPort, frontend, srv);
            this.haproxy = Haproxy.start(dir, name, body);
        }

        public String label() {
            return name;
        }

        public int frontend() {
            return frontend;
        }

        public String state() throws IOException {
            return OneShotCli.send(haproxy.socket, "show servers state be");
        }

        public void restart() throws Exception {
            haproxy.close();
            haproxy = Haproxy.start(dir, name, body);
        }

        public void close() {
            haproxy.close();
        }
    }

    /** An hsdo sidecar with its own HAProxy, from the environment an operator would give it. */
    private static final class Hsdo implements Instance {
        private final String label;
        private final Map<String, String> env;
        private final Path socket;
        private Sidecar sidecar;

        Hsdo(String label, Map<String, String> env) throws Exception {
            this.label = label;
            this.env = env;
            this.socket = Path.of(env.get("HSDO_DATA_DIR"), "run", "admin.sock");
            this.sidecar = Sidecar.start(env, Clock.systemUTC());
        }

        public String label() {
            return label;
        }

        public int frontend() {
            String bind = env.get("HAPROXY_BIND");
            return Integer.parseInt(bind.substring(bind.lastIndexOf(':') + 1));
        }

        public String state() throws IOException {
            return OneShotCli.send(socket, "show servers state peers");
        }

        public void restart() throws Exception {
            sidecar.close();
            sidecar = Sidecar.start(env, Clock.systemUTC());
        }

        public void close() {
            sidecar.close();
        }
    }

    @SuppressWarnings("try") // the watchdog is only armed and disarmed
    public static void main(String[] args) throws Exception {
        Path dir = Args.workDir(args, "NeighborsBench <work dir> [trials]");
        int trials = Args.positive(args, 1, "trials", 5);
        List<Integer> ports = Haproxy.freePorts(NODES.size() + 5);
        Map<String, Integer> origin = new LinkedHashMap<>();
        StringBuilder originCfg = new StringBuilder();
        List<String> zone = new ArrayList<>();
        for (int i = 0; i < NODES.size(); i++) {
            String n = NODES.get(i);
            origin.put(n, ports.get(i));
            originCfg.append("frontend ").append(n).append("\n  bind 127.0.0.1:").append(ports.get(i))
                    .append("\n  http-request return status 200 content-type text/plain string \"").append(n).append("\"\n");
            zone.add(n + " IN A 127.0.0.1");
        }
        List<String> names = List.of("_http._tcp.native", "_http._tcp.hsdo", "_http._tcp.fast");
        for (String srv : names) for (String n : NODES.subList(0, 4)) zone.add(srv + " IN SRV 10 50 " + origin.get(n) + " " + n);

        List<Instance> all = new ArrayList<>();
        try (Watchdog ignored = Watchdog.arm(LIMIT);
             Haproxy origins = Haproxy.start(dir, "origins", originCfg.toString());
             Named named = Named.start(dir.resolve("named"), zone)) {
            int p = NODES.size();
            Instance a = add(all, new Native(dir, "native-a", ports.get(p++), named.port(), names.get(0) + "." + Named.ZONE));
            Instance b = add(all, new Native(dir, "native-b", ports.get(p++), named.port(), names.get(0) + "." + Named.ZONE));
            Instance c = add(all, new Hsdo("hsdo-c (1s)", env(named, names.get(1), "1s", ports.get(p++), dir.resolve("c"))));
            Instance d = add(all, new Hsdo("hsdo-d (1s)", env(named, names.get(1), "1s", ports.get(p++), dir.resolve("d"))));
            Instance e = add(all, new Hsdo("hsdo-e (250ms)", env(named, names.get(2), "250ms", ports.get(p), dir.resolve("e"))));
            List<String> pair = names.subList(0, 2);
            awaitServing(all, ports(origin, "n1", "n2", "n3", "n4"));
            System.out.printf("neighbors: 2 HAProxy with resolvers + server-template (native), 2 hsdo sidecars (refresh 1s),"
                    + " 1 hsdo sidecar (refresh 250ms); bind9 on 127.0.0.1:%d; %d URIs%n%n", named.port(), URIS);

            // 1. Churn, then one instance of each kind restarts.
            named.srv(false, pair, origin.get("n1"), "n1");
            named.srv(true, pair, origin.get("n5"), "n5");
            named.srv(true, pair, origin.get("n6"), "n6");
            Set<Integer> afterChurn = ports(origin, "n2", "n3", "n4", "n5", "n6");
            awaitServing(List.of(a, b, c, d), afterChurn);
            System.out.printf("1. before any restart, after churn (n1 removed, n5 and n6 added): native agree %.1f %%, hsdo agree %.1f %%%n",
                    agreement(a, b), agreement(c, d));
            a.restart();
            c.restart();
            awaitServing(List.of(a, c), afterChurn);
            System.out.printf("   after restarting one of the two: native agree %.1f %%, hsdo agree %.1f %%%n%n", agreement(a, b), agreement(c, d));

            // 2. One node removed and re-added.
            Map<String, String> nativeBefore = routing(b), hsdoBefore = routing(d);
            named.srv(false, pair, origin.get("n3"), "n3");
            awaitServing(List.of(b, d), ports(origin, "n2", "n4", "n5", "n6"));
            named.srv(true, pair, origin.get("n3"), "n3");
            awaitServing(List.of(b, d), afterChurn);
            System.out.printf("2. n3 removed and re-added: keys not back on their node: native %.1f %%, hsdo %.1f %%%n%n",
                    moved(nativeBefore, routing(b)), moved(hsdoBefore, routing(d)));

            // 3. DNS outage.
            nativeBefore = routing(a);
            hsdoBefore = routing(c);
            named.stop();
            outage(List.of(a, c), List.of(nativeBefore, hsdoBefore));
            named.start();
            Thread.sleep(SETTLE.toMillis()); // lets every instance re-read DNS and its checks settle, however slow
            System.out.printf("   %s after DNS is back (+%d s): serving %d of 5 nodes, keys moved %.1f %%%n", a.label(),
                    SETTLE.toSeconds(), a.serving().size(), moved(nativeBefore, routing(a)));
            System.out.printf("   %s after DNS is back (+%d s): serving %d of 5 nodes, keys moved %.1f %%%n%n", c.label(),
                    SETTLE.toSeconds(), c.serving().size(), moved(hsdoBefore, routing(c)));

            // 4. Convergence: n1 added to every name in one update, time until each HAProxy serves it.
            List<Instance> timed = List.of(a, c, e);
            Map<String, List<Long>> times = new LinkedHashMap<>();
            for (int t = 0; t < trials; t++) {
                long t0 = System.nanoTime();
                named.srv(true, names, origin.get("n1"), "n1");
                Set<Instance> pending = new HashSet<>(timed);
                while (!pending.isEmpty()) {
                    for (Instance i : List.copyOf(pending)) {
                        if (i.serving().contains(origin.get("n1"))) {
                            times.computeIfAbsent(i.label(), k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1_000_000);
                            pending.remove(i);
                        }
                    }
                    if (System.nanoTime() - t0 > SETTLE.toNanos()) throw new IllegalStateException("not converged: " + pending);
                    Thread.sleep(10);
                }
                named.srv(false, names, origin.get("n1"), "n1");
                awaitGone(timed, origin.get("n1"));
            }
            System.out.printf("4. an added SRV record until HAProxy serves it (%d trials):%n", trials);
            times.forEach((label, ms) -> System.out.printf("   %-16s median %5d ms, min %5d ms, max %5d ms%n", label,
                    ms.stream().sorted().toList().get(ms.size() / 2), ms.stream().min(Long::compare).orElseThrow(),
                    ms.stream().max(Long::compare).orElseThrow()));
        } finally {
            for (Instance i : all.reversed()) i.close();
        }
    }

    private static <T extends Instance> T add(List<Instance> all, T i) {
        all.add(i);
        return i;
    }

    private static Map<String, String> env(Named named, String srv, String refresh, int frontend, Path dataDir) {
        return Map.of("DISCOVERY_DNS_NAME", srv + "." + Named.ZONE, "DISCOVERY_DNS_SERVERS", "127.0.0.1:" + named.port(),
                "DISCOVERY_DNS_REFRESH", refresh, "HAPROXY_BIND", "127.0.0.1:" + frontend, "HSDO_DATA_DIR", dataDir.toString(),
                "HSDO_ADMIN_BIND", "", "HSDO_DRAIN_PERIOD", "0s");
    }

    private static Set<Integer> ports(Map<String, Integer> origin, String... nodes) {
        Set<Integer> s = new HashSet<>();
        for (String n : nodes) s.add(origin.get(n));
        return s;
    }

    /** Ports of the servers up with no admin flag (maint, drain) in a {@code show servers state} answer. */
    static Set<Integer> servingPorts(String state) {
        Set<Integer> ports = new HashSet<>();
        for (String line : state.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 19 || line.startsWith("#")) continue;
            // Admin bits 0x01-0x20 are the maintenance and drain flags; 0x40 only says the name was resolved.
            if (f[5].equals("2") && (Integer.parseInt(f[6]) & 0x3f) == 0) ports.add(Integer.parseInt(f[18]));
        }
        return ports;
    }

    private static void awaitServing(List<Instance> instances, Set<Integer> ports) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        for (Instance i : instances) {
            while (!i.serving().equals(ports)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(i.label() + " serves " + i.serving() + ", not " + ports + ":\n" + i.state());
                Thread.sleep(50);
            }
        }
    }

    private static void awaitGone(List<Instance> instances, int port) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        for (Instance i : instances) {
            while (i.serving().contains(port)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(i.label() + " still serves " + port);
                Thread.sleep(50);
            }
        }
    }

    /** Requests both instances in turn every 20 ms for the whole outage; prints failures and moved keys per 10 s. */
    private static void outage(List<Instance> instances, List<Map<String, String>> before) throws Exception {
        int windows = (int) (OUTAGE.toSeconds() / 10);
        int[][] failed = new int[instances.size()][windows], moved = new int[instances.size()][windows], sent = new int[instances.size()][windows];
        long t0 = System.nanoTime();
        for (int n = 0; System.nanoTime() - t0 < OUTAGE.toNanos(); n++) {
            int w = (int) Math.min(windows - 1, (System.nanoTime() - t0) / 10_000_000_000L);
            int i = n % instances.size();
            String uri = "/obj/" + (n / instances.size()) % URIS;
            sent[i][w]++;
            HttpResponse<String> r = get(instances.get(i).frontend(), uri);
            if (r == null || r.statusCode() != 200) failed[i][w]++;
            else if (!r.body().trim().equals(before.get(i).get(uri))) moved[i][w]++;
            Thread.sleep(20); // bounded request rate
        }
        System.out.println("3. DNS server stopped for " + OUTAGE.toSeconds() + " s; per 10 s: requests failed / answered by another node (of sent)");
        for (int i = 0; i < instances.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("   %-16s", instances.get(i).label()));
            for (int w = 0; w < windows; w++) row.append(String.format(" | %2d-%2ds: %3d / %3d (%3d)", w * 10, w * 10 + 10, failed[i][w], moved[i][w], sent[i][w]));
            System.out.println(row);
        }
    }

    private static double agreement(Instance x, Instance y) throws Exception {
        Map<String, String> rx = routing(x), ry = routing(y);
        long same = rx.keySet().stream().filter(k -> rx.get(k).equals(ry.get(k))).count();
        return 100.0 * same / URIS;
    }

    private static double moved(Map<String, String> before, Map<String, String> after) {
        return 100.0 * before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count() / URIS;
    }

    /** URI → the node that answered (or the status when none did), 8 requests at a time. */
    private static Map<String, String> routing(Instance i) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int k = 0; k < URIS; k++) {
                String uri = "/obj/" + k;
                answers.add(pool.submit(() -> get(i.frontend(), uri)));
            }
            Map<String, String> owner = new LinkedHashMap<>();
            for (int k = 0; k < URIS; k++) {
                HttpResponse<String> r = answers.get(k).get();
                owner.put("/obj/" + k, r == null ? "error" : r.statusCode() == 200 ? r.body().trim() : "status " + r.statusCode());
            }
            return owner;
        }
    }

    /** The answer to a GET, or null when the request failed outright. */
    private static HttpResponse<String> get(int port, String uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
