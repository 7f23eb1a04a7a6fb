package dev.hsdo.bench;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.ServerLine;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.plan.PlanInput;
import dev.hsdo.plan.Planner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How evenly HAProxy's consistent hash spreads distinct URIs over 12 servers whose ids and lines hsdo
 * derives (planner → {@link ServerLine}), for several server weights side by side, and how many keys move
 * when one server leaves. Every request goes through a real HAProxy: one frontend per case, each with a
 * {@code balance uri} + {@code hash-type consistent} backend over the same 12 origins, which are frontends
 * of the same HAProxy answering with their port.
 *
 * <p>The spread depends on where the ids put the servers on the ring, so each trial uses another set of 12
 * identities ({@code 10.0.<trial>.<n>:8080}, carried as endpoint names while the traffic goes to the local
 * origins). Fixed identities and a fixed set of URIs make every run route the same way.
 *
 * <p>Usage: {@code SpreadBench <work dir> [uris] [trials]}.
 */
public final class SpreadBench {
    private static final int[] WEIGHTS = {1, 10, 100, 256};
    private static final int HSDO_DEFAULT_WEIGHT = 100;
    private static final int SERVERS = 12;
    private static final int REMOVED = 5;
    private static final int CONCURRENCY = 8;
    /** HAProxy puts weight × BE_WEIGHT_SCALE (16) points per server on the consistent-hash ring. */
    private static final int RING_POINTS_PER_WEIGHT = 16;
    private static final Duration LIMIT = Duration.ofMinutes(20);

    private SpreadBench() {}

    /** One frontend and the backend hsdo planned behind it. */
    private record Case(String name, int port, List<ServerPlan> servers) {}

    @SuppressWarnings("try") // the watchdog is only armed and disarmed
    public static void main(String[] args) throws Exception {
        Path dir = Args.workDir(args, "SpreadBench <work dir> [uris] [trials]");
        int uris = Args.positive(args, 1, "uris", 100_000);
        int trials = Args.positive(args, 2, "trials", 3);

        List<Integer> ports = Haproxy.freePorts(SERVERS + trials * WEIGHTS.length + 2);
        List<Integer> originPorts = ports.subList(0, SERVERS);
        List<List<Endpoint>> endpoints = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        int nextPort = SERVERS;
        for (int t = 1; t <= trials; t++) {
            List<Endpoint> eps = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                String identity = "10.0." + t + "." + (i + 1) + ":8080";
                eps.add(new Endpoint(identity, "127.0.0.1", originPorts.get(i), null, null, Map.of()));
            }
            endpoints.add(eps);
            for (int w : WEIGHTS) cases.add(new Case(name(t, w), ports.get(nextPort++), plan(eps, w)));
        }
        List<Endpoint> withoutOne = new ArrayList<>(endpoints.getFirst());
        Endpoint gone = withoutOne.remove(REMOVED);
        Case lessOne = new Case("t1_w100_minus_one", ports.get(nextPort++), plan(withoutOne, HSDO_DEFAULT_WEIGHT));
        // The same servers declared in the opposite order, as another instance might list them.
        List<ServerPlan> reversed = new ArrayList<>(plan(endpoints.getFirst(), HSDO_DEFAULT_WEIGHT));
        Collections.reverse(reversed);
        Case otherOrder = new Case("t1_w100_reversed", ports.get(nextPort), reversed);
        cases.add(lessOne);
        cases.add(otherOrder);

        List<String> paths = paths(uris);
        System.out.printf("load spread: %d distinct URIs, %d servers, %d trials of identities, ids and server lines from the planner,"
                + " %d concurrent keep-alive clients%n", uris, SERVERS, trials, CONCURRENCY);
        Map<String, String[]> owners = new LinkedHashMap<>();
        try (Watchdog ignored = Watchdog.arm(LIMIT);
             Haproxy haproxy = Haproxy.start(dir, "spread", config(originPorts, cases))) {
            for (Case c : cases) {
                long t0 = System.nanoTime();
                owners.put(c.name, route(c, paths));
                System.out.printf("  %s: %d requests in %.1f s%n", c.name, uris, (System.nanoTime() - t0) / 1e9);
            }
        }

        System.out.println();
        System.out.println("| weight | ring points per server | max/mean by trial | min/mean by trial | worst max/mean |");
        System.out.println("| --- | --- | --- | --- | --- |");
        double mean = (double) uris / SERVERS;
        for (int w : WEIGHTS) {
            StringJoiner maxes = new StringJoiner(" / "), mins = new StringJoiner(" / ");
            double worst = 0;
            for (int t = 1; t <= trials; t++) {
                Map<String, Integer> counts = counts(owners.get(name(t, w)), endpoints.get(t - 1));
                double max = counts.values().stream().max(Integer::compare).orElseThrow() / mean;
                double min = counts.values().stream().min(Integer::compare).orElseThrow() / mean;
                maxes.add(String.format("%.3f", max));
                mins.add(String.format("%.3f", min));
                worst = Math.max(worst, max);
            }
            System.out.printf("| %d%s | %d | %s | %s | %.3f |%n", w, w == HSDO_DEFAULT_WEIGHT ? " (hsdo default)" : "",
                    w * RING_POINTS_PER_WEIGHT, maxes, mins, worst);
        }

        String[] before = owners.get(name(1, HSDO_DEFAULT_WEIGHT));
        String[] after = owners.get(lessOne.name);
        String[] reordered = owners.get(otherOrder.name);
        int moved = 0, movedFromGone = 0, ownedByGone = 0, agree = 0;
        for (int i = 0; i < uris; i++) {
            boolean wasGone = before[i].equals(gone.identity());
            if (wasGone) ownedByGone++;
            if (!before[i].equals(after[i])) {
                moved++;
                if (wasGone) movedFromGone++;
            }
            if (before[i].equals(reordered[i])) agree++;
        }
        System.out.println();
        System.out.printf("removing %s (1 of %d, weight %d, trial 1): %.2f %% of keys moved (1/%d = %.2f %%); "
                        + "%d of the %d moved keys were the removed server's, which owned %d (%.2f %%)%n",
                gone.identity(), SERVERS, HSDO_DEFAULT_WEIGHT, 100.0 * moved / uris, SERVERS, 100.0 / SERVERS,
                movedFromGone, moved, ownedByGone, 100.0 * ownedByGone / uris);
        System.out.printf("same servers declared in reverse order: %.2f %% of keys on the same server%n", 100.0 * agree / uris);
    }

    private static String name(int trial, int weight) {
        return "t" + trial + "_w" + weight;
    }

    /** Origins answering with their identity, then one frontend and backend per case. */
    private static String config(List<Integer> originPorts, List<Case> cases) {
        StringBuilder cfg = new StringBuilder();
        for (int i = 0; i < originPorts.size(); i++) {
            cfg.append("frontend origin").append(i + 1).append("\n  bind 127.0.0.1:").append(originPorts.get(i)).append('\n')
                    .append("  http-request return status 200 content-type text/plain string \"")
                    .append(originPorts.get(i)).append("\"\n");
        }
        for (Case c : cases) {
            cfg.append("frontend fe_").append(c.name).append("\n  bind 127.0.0.1:").append(c.port)
                    .append("\n  default_backend be_").append(c.name).append('\n')
                    .append("backend be_").append(c.name).append("\n  balance uri\n  hash-type consistent\n");
            for (ServerPlan s : c.servers) cfg.append("  ").append(ServerLine.line(s)).append('\n');
        }
        return cfg.toString();
    }

    private static List<ServerPlan> plan(List<Endpoint> endpoints, int weight) {
        HsdoConfig config = BenchConfigs.of(Path.of("/nonexistent/hsdo-bench"), 8080, Duration.ZERO, 1.0, weight, false);
        Instant now = Instant.EPOCH;
        SourceSnapshot snap = SourceSnapshot.ok(BenchConfigs.SOURCE, endpoints, List.of(), now);
        Plan plan = Planner.plan(new PlanInput(Plan.empty(), Map.of(BenchConfigs.SOURCE, snap), config, now, Set.of()));
        return plan.backend(BenchConfigs.BACKEND).servers();
    }

    /** Distinct object-like paths, from a fixed seed so that every run sends the same keys. */
    private static List<String> paths(int n) {
        Random random = new Random(42);
        Set<String> seen = new HashSet<>();
        List<String> paths = new ArrayList<>(n);
        byte[] key = new byte[8];
        while (paths.size() < n) {
            random.nextBytes(key);
            String p = "/objects/" + HexFormat.of().formatHex(key);
            if (seen.add(p)) paths.add(p);
        }
        return paths;
    }

    /**
     * Sends every path once through the case's frontend; returns the identity of the server that answered
     * each (an origin answers with its port, which one server of the case points at).
     */
    private static String[] route(Case c, List<String> paths) throws Exception {
        Map<String, String> identityByPort = new TreeMap<>();
        for (ServerPlan s : c.servers) identityByPort.put(Integer.toString(s.port()), s.identity());
        int port = c.port;
        String[] owner = new String[paths.size()];
        AtomicInteger nextIndex = new AtomicInteger();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(2)).executor(workers).build()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < CONCURRENCY; w++) {
                done.add(workers.submit(() -> {
                    for (int i = nextIndex.getAndIncrement(); i < paths.size(); i = nextIndex.getAndIncrement()) {
                        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + paths.get(i)))
                                .timeout(Duration.ofSeconds(5)).build();
                        HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() != 200)
                            throw new IOException(paths.get(i) + " on port " + port + ": status " + resp.statusCode());
                        owner[i] = identityByPort.get(resp.body());
                        if (owner[i] == null) throw new IOException(paths.get(i) + " on port " + port + ": answer from " + resp.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        return owner;
    }

    private static Map<String, Integer> counts(String[] owners, List<Endpoint> endpoints) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Endpoint e : endpoints) counts.put(e.identity(), 0);
        for (String o : owners) {
            if (!counts.containsKey(o)) throw new IllegalStateException("answer from unknown server " + o);
            counts.merge(o, 1, Integer::sum);
        }
        return counts;
    }
}
