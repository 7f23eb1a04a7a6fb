package dev.hsdo.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Routing requests to their tenant's shard on one HAProxy, three ways side by side in one run, with wrk:
 * (a) the sharding write-up's design, rebuilt from its description: a Lua action doing one blocking HTTP GET
 * per request to a lookup service ({@link TenantLookup}, its own process) and routing by the answer;
 * (b) an HAProxy map keyed on the same {@code username} cookie; (c) no lookup at all (one default backend).
 * 10 000 tenants on 4 shards; each shard is a backend whose one origin answers with its shard name and the
 * cookie it got, so the wrk script counts misrouted answers. Then the lookup service is stopped and (a) and (b)
 * run again: how many users land on the default shard without an error.
 *
 * <p>Each load (wrk connections) is measured in rounds, the cases taking turns going first. The Lua script
 * counts how its lookups ended (admin socket command {@code tenant lookups}), so misrouting is traced to its
 * cause. Every process (two HAProxies, the lookup service, wrk) is stopped by its PID; files stay in the work
 * directory.
 *
 * <p>Case (b)'s routing lines are hand-written or taken from {@code hsdo render} of {@code bench/tenant-routing/hsdo.yaml}
 * ({@link #MAP_ROUTING}); the backends, origins and map file are the benchmark's either way.
 *
 * <p>Usage: {@code TenantRoutingBench <work dir> <repository> [seconds per case] [connections,...] [rounds]}.
 */
public final class TenantRoutingBench {
    private static final List<String> SHARDS = List.of("shard-1", "shard-2", "shard-3", "shard-4");
    /** Where (a) sends a request whose lookup failed and (b) an unknown tenant: the write-up's default shard. */
    private static final String DEFAULT_SHARD = SHARDS.getFirst();
    private static final int TENANTS = 10_000;
    private static final int WRK_THREADS = 2;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** Seconds per socket operation of the Lua lookup (connect, send, receive). */
    private static final int LOOKUP_TIMEOUT_S = 1;
    /** Within this machine's open-file limit of 20 000: HAProxy asks for about 2 × maxconn descriptors. */
    private static final int PROXY_MAXCONN = 8000;
    private static final Duration LIMIT = Duration.ofMinutes(30);

    /** Where case (b)'s {@code use_backend} lines come from. */
    private enum MapRouting { HAND_WRITTEN, HSDO_RENDER }

    /** HSDO_RENDER once hsdo renders a {@code tenants:} section (issue 10); nothing else needs to change. */
    private static final MapRouting MAP_ROUTING = MapRouting.HSDO_RENDER;

    private TenantRoutingBench() {}

    /** The three ways of routing, each a frontend of the one HAProxy. */
    private enum Case {
        LUA("(a) Lua action, one HTTP GET per request to the lookup service"),
        MAP("(b) HAProxy map on the `username` cookie"),
        NONE("(c) no lookup (default_backend)");

        final String title;

        Case(String title) {
            this.title = title;
        }
    }

    /**
     * One measured wrk run, the CPU the proxy and the lookup service spent on it (clock ticks), how the Lua
     * lookups made meanwhile ended (the script's counters, this run's share), and how many connections the
     * kernel turned away meanwhile because a listener's accept queue was full (all of this network namespace),
     * the most file descriptors the proxy and the most connections to the lookup service it held at once (sampled
     * every 100 ms), and how long after wrk ended its last connection to the lookup service went away.
     */
    private record Run(Wrk.Result wrk, long proxyTicks, long lookupTicks, Map<String, Long> lookups, long listenOverflows,
                       long peakFds, long peakToLookup, Duration settle) {
        long lookups(String outcome) {
            return lookups.getOrDefault(outcome, 0L);
        }

        double proxyCpuUsPerRequest() {
            return ticksToUs(proxyTicks) / wrk.requests();
        }

        double lookupCpuUsPerRequest() {
            return ticksToUs(lookupTicks) / wrk.requests();
        }
    }

    @SuppressWarnings("try") // the watchdog is only armed and disarmed
    public static void main(String[] args) throws Exception {
        String usage = "TenantRoutingBench <work dir> <repository> [seconds per case] [connections,...] [rounds]";
        Path dir = Args.workDir(args, usage);
        if (args.length < 2) throw new IllegalArgumentException("usage: " + usage);
        Path repo = Path.of(args[1]).toAbsolutePath(), scripts = repo.resolve("bench/tenant-routing");
        // wrk runs without its script (and exits 0) when it cannot open it: say so before anything starts.
        for (String f : List.of("lookup.lua", "wrk.lua", "hsdo.yaml"))
            if (!Files.isRegularFile(scripts.resolve(f))) throw new IllegalArgumentException("no " + scripts.resolve(f) + " (argument 2: the repository)");
        Duration perCase = Duration.ofSeconds(Args.positive(args, 2, "seconds per case", 10));
        List<Integer> loads = connections(args.length > 3 ? args[3] : "50,400");
        int rounds = Args.positive(args, 4, "rounds", 3);

        TenantShards table = TenantShards.generate(TENANTS, SHARDS);
        Path csv = dir.resolve("tenants.csv"), map = dir.resolve("tenants.map");
        table.writeCsv(csv);
        table.writeMap(map);
        List<Integer> ports = Haproxy.freePorts(SHARDS.size() + Case.values().length + 1);
        List<Integer> originPorts = ports.subList(0, SHARDS.size());
        Map<Case, Integer> frontends = new EnumMap<>(Case.class);
        for (Case c : Case.values()) frontends.put(c, ports.get(SHARDS.size() + c.ordinal()));
        int lookupPort = ports.getLast();

        System.out.printf("tenant routing: %d tenants on %d shards (%s); wrk -t %d with %s connections, %d s per case, %d rounds per"
                        + " load (+ %d s warm-up per case), then %d s per case with the lookup service stopped%n", TENANTS, SHARDS.size(),
                shardCounts(table), WRK_THREADS, loads, perCase.toSeconds(), rounds, WARM_UP.toSeconds(), perCase.toSeconds());
        List<String> mapLines = mapRouting(dir, repo, originPorts, map);
        System.out.println(MAP_ROUTING == MapRouting.HSDO_RENDER ? "(b) routes with the lines `hsdo render` gave for bench/tenant-routing/hsdo.yaml:"
                : "(b) routes with hand-written lines, not rendered by hsdo (switch MAP_ROUTING once hsdo renders `tenants:`):");
        for (String l : mapLines) System.out.println("    " + l);
        Map<Integer, Map<Case, List<Run>>> runs = new LinkedHashMap<>();
        Map<Case, Run> down = new EnumMap<>(Case.class);
        try (Watchdog ignored = Watchdog.arm(LIMIT);
             Haproxy origins = Haproxy.start(dir, "origins", origins(originPorts));
             Child lookup = startLookup(dir, lookupPort, csv);
             Haproxy proxy = Haproxy.start(dir, "router", global(scripts, lookupPort), proxy(frontends, originPorts, mapLines))) {
            Bench bench = new Bench(dir, scripts.resolve("wrk.lua"), csv, frontends, proxy, lookup, lookupPort);
            precheck(table, frontends);
            for (int connections : loads) runs.put(connections, measure(bench, connections, rounds, perCase));
            if (!lookup.stop(Duration.ofSeconds(5))) System.out.println("  (the lookup service needed a SIGKILL)");
            for (Case c : List.of(Case.LUA, Case.MAP)) down.put(c, bench.run(c, perCase, loads.getFirst(), "down"));
        }
        for (var e : runs.entrySet()) report(e.getKey(), e.getValue());
        reportDown(table, loads.getFirst(), down);
    }

    /** The cases at one load: a warm-up each, then {@code rounds} rounds, the cases taking turns going first. */
    private static Map<Case, List<Run>> measure(Bench bench, int connections, int rounds, Duration perCase)
            throws IOException, InterruptedException {
        System.out.printf("%d connections:%n", connections);
        Case[] cases = Case.values();
        for (Case c : cases) bench.run(c, WARM_UP, connections, "warmup");
        Map<Case, List<Run>> level = new EnumMap<>(Case.class);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < cases.length; k++) {
                Case c = cases[Math.floorMod(k + r, cases.length)];
                Run run = bench.run(c, perCase, connections, "round" + r);
                level.computeIfAbsent(c, x -> new ArrayList<>()).add(run);
                Wrk.Result w = run.wrk();
                System.out.printf("  round %d %-4s %8.0f req/s  p50 %7.2f ms  p99 %8.2f ms  misrouted %d of %d, non-2xx %d,"
                                + " socket errors %d, HAProxy fds <= %d%s%n", r + 1, c, w.perSecond(), w.p50Us() / 1e3, w.p99Us() / 1e3,
                        w.misrouted(), w.requests(), w.non2xx(), w.socketErrors(), run.peakFds(),
                        c == Case.LUA ? ", lookups " + run.lookups() + ", listen overflows " + run.listenOverflows()
                                + ", connections to the lookup service <= " + run.peakToLookup() + ", the last gone "
                                + run.settle().toMillis() / 1e3 + " s after wrk ended" : "");
            }
        }
        return level;
    }

    /** Runs wrk against one case's frontend; measures the CPU of the proxy and of the lookup service meanwhile. */
    private record Bench(Path dir, Path script, Path csv, Map<Case, Integer> frontends, Haproxy proxy, Child lookup,
                         int lookupPort) {
        private static final Duration SETTLE_BOUND = Duration.ofSeconds(60);
        /**
         * TCP states (as /proc/net/tcp writes them) of a client socket that holds a descriptor: connecting,
         * established, or closed by the peer but not yet by HAProxy. The others come after a local close.
         */
        private static final Set<String> HELD = Set.of("01", "02", "08"); // ESTABLISHED, SYN_SENT, CLOSE_WAIT

        Run run(Case c, Duration duration, int connections, String label) throws IOException, InterruptedException {
            Map<String, Long> lookups0 = lookups();
            long overflows0 = listenOverflows();
            long proxy0 = Procs.cpuTicks(proxy.pid()), lookup0 = Procs.cpuTicks(lookup.pid());
            AtomicLong peakFds = new AtomicLong(), peakToLookup = new AtomicLong();
            Thread sampler = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        peakFds.accumulateAndGet(Procs.openFds(proxy.pid()), Math::max);
                        peakToLookup.accumulateAndGet(toLookup(), Math::max);
                        Thread.sleep(100);
                    }
                } catch (InterruptedException done) {
                    // the run ended
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Wrk.Result r;
            try {
                r = Wrk.run(script, csv, c != Case.NONE, "http://127.0.0.1:" + frontends.get(c) + "/", duration,
                        WRK_THREADS, connections, dir.resolve("wrk-" + c + "-c" + connections + "-" + label + ".log"));
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            long lookup1 = Procs.cpuTicks(lookup.pid()), proxy1 = Procs.cpuTicks(proxy.pid());
            // Lookups still in flight when wrk stops (waiting to connect to or hear from the lookup service) would
            // run into the next case: wait until the proxy has no connection to the lookup service left.
            long ended = System.nanoTime();
            while (toLookup() > 0) {
                if (System.nanoTime() - ended > SETTLE_BOUND.toNanos())
                    throw new IOException(toLookup() + " connections to the lookup service still open " + SETTLE_BOUND
                            + " after the " + c + " run");
                Thread.sleep(50);
            }
            Duration settle = Duration.ofNanos(System.nanoTime() - ended);
            Map<String, Long> lookups = new LinkedHashMap<>(lookups());
            lookups.replaceAll((outcome, n) -> n - lookups0.getOrDefault(outcome, 0L));
            return new Run(r, proxy1 - proxy0, lookup0 < 0 || lookup1 < 0 ? 0 : lookup1 - lookup0, lookups,
                    listenOverflows() - overflows0, peakFds.get(), peakToLookup.get(), settle);
        }

        /**
         * Client-side TCP sockets to 127.0.0.1:lookupPort that still hold a descriptor (connecting, established,
         * closed by the service but not yet by HAProxy): the Lua lookups in flight.
         */
        private int toLookup() throws IOException {
            String remote = ":%04X".formatted(lookupPort);
            int n = 0;
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(remote) && f[2].startsWith("0100007F") && HELD.contains(f[3])) n++;
            }
            return n;
        }

        /** The kernel's count of connections dropped because an accept queue was full (TcpExt ListenOverflows). */
        private static long listenOverflows() throws IOException {
            List<String> tcpExt = Files.readAllLines(Path.of("/proc/net/netstat")).stream().filter(l -> l.startsWith("TcpExt:")).toList();
            if (tcpExt.size() == 2) {
                List<String> names = List.of(tcpExt.get(0).split(" ")), values = List.of(tcpExt.get(1).split(" "));
                int i = names.indexOf("ListenOverflows");
                if (i > 0 && i < values.size()) return Long.parseLong(values.get(i));
            }
            throw new IOException("no TcpExt ListenOverflows in /proc/net/netstat");
        }

        /**
         * The Lua script's counts of how lookups ended so far (admin socket command {@code tenant lookups}). Asked
         * up to three times: right after a run under heavy load, HAProxy once reset the admin connection.
         */
        private Map<String, Long> lookups() throws IOException, InterruptedException {
            for (int attempt = 1; ; attempt++) {
                try {
                    return Wrk.fields(OneShotCli.send(proxy.socket, "tenant lookups"));
                } catch (IOException e) {
                    if (attempt == 3) throw e;
                    System.out.println("  (admin socket: " + e.getMessage() + "; asking again)");
                    Thread.sleep(500);
                }
            }
        }
    }

    /**
     * The measured HAProxy's global lines. maxconn sizes its file descriptors (about twice maxconn): at 4096, the
     * Lua sockets of lookups waiting on the lookup service's full accept queue used them all up at 400
     * connections, and the origin connections failed ("socket(): not enough free sockets") with 503s.
     */
    private static String global(Path scripts, int lookupPort) {
        return """
                  maxconn %d
                  setenv TENANT_LOOKUP 127.0.0.1:%d
                  setenv TENANT_LOOKUP_TIMEOUT %d
                  lua-load %s
                """.formatted(PROXY_MAXCONN, lookupPort, LOOKUP_TIMEOUT_S, scripts.resolve("lookup.lua"));
    }

    private static String proxy(Map<Case, Integer> frontends, List<Integer> originPorts, List<String> mapLines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < SHARDS.size(); i++)
            b.append("backend ").append(SHARDS.get(i)).append("\n  server s1 127.0.0.1:").append(originPorts.get(i)).append('\n');
        b.append("""
                frontend lua
                  bind 127.0.0.1:%d
                  http-request lua.tenant_lookup
                  use_backend %%[var(txn.shard)] if { var(txn.shard) -m found }
                  default_backend %s
                """.formatted(frontends.get(Case.LUA), DEFAULT_SHARD));
        b.append("frontend map\n  bind 127.0.0.1:").append(frontends.get(Case.MAP)).append('\n');
        for (String l : mapLines) b.append("  ").append(l).append('\n');
        b.append("""
                frontend none
                  bind 127.0.0.1:%d
                  default_backend %s
                """.formatted(frontends.get(Case.NONE), DEFAULT_SHARD));
        return b.toString();
    }

    /** Case (b)'s routing lines (frontend {@code map}): the map file {@code map}, unknown tenants to the default shard. */
    private static List<String> mapRouting(Path dir, Path repo, List<Integer> originPorts, Path map)
            throws IOException, InterruptedException {
        if (MAP_ROUTING == MapRouting.HAND_WRITTEN)
            return List.of("use_backend %[req.cook(username),map(" + map + "," + DEFAULT_SHARD + ")]", "default_backend " + DEFAULT_SHARD);
        // hsdo.yaml names its files relative to itself: the table and map written above, and one server file per shard.
        Files.copy(repo.resolve("bench/tenant-routing/hsdo.yaml"), dir.resolve("hsdo.yaml"), StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < SHARDS.size(); i++)
            Files.writeString(dir.resolve(SHARDS.get(i) + ".yaml"), "servers:\n  - {address: 127.0.0.1, port: %d, name: s1}\n"
                    .formatted(originPorts.get(i)));
        Path out = dir.resolve("hsdo-render.txt");
        Process p = new ProcessBuilder(repo.resolve("hsdo").toString(), "render", "--no-check", "-c", dir.resolve("hsdo.yaml").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0)
                throw new IOException("hsdo render failed" + (p.isAlive() ? " to end in 5 minutes" : "") + ": " + Child.tail(out));
        } finally {
            if (p.isAlive()) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String l : Files.readAllLines(out)) {
            if (!l.startsWith(" ")) inside = l.equals("frontend map");
            else if (inside && (l.trim().startsWith("use_backend ") || l.trim().startsWith("default_backend "))) lines.add(l.trim());
        }
        if (lines.stream().noneMatch(l -> l.contains("map(" + map + ",")))
            throw new IOException("hsdo render gave frontend map no lookup in " + map + ": " + lines + " (see " + out + ")");
        return lines;
    }

    /** One HAProxy holding the shards' origins: each answers "<shard> <username cookie>". */
    private static String origins(List<Integer> ports) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < SHARDS.size(); i++)
            b.append("frontend origin-").append(SHARDS.get(i)).append("\n  bind 127.0.0.1:").append(ports.get(i))
                    .append("\n  http-request return status 200 content-type text/plain lf-string \"")
                    .append(SHARDS.get(i)).append(" %[req.cook(username)]\"\n");
        return b.toString();
    }

    private static Child startLookup(Path dir, int port, Path csv) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return Child.start(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TenantLookup.class.getName(),
                Integer.toString(port), csv.toString()), dir.resolve("lookup.log"), port, Duration.ofSeconds(30));
    }

    /** A few tenants of every shard through (a) and (b) before measuring: a broken setup fails here, not in a table. */
    private static void precheck(TenantShards table, Map<Case, Integer> frontends) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> sample = table.shards().keySet().stream().limit(20).toList();
        for (Case c : List.of(Case.LUA, Case.MAP)) {
            for (String tenant : sample) {
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontends.get(c) + "/"))
                        .header("Cookie", "username=" + tenant).timeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
                String want = table.shards().get(tenant) + " " + tenant;
                if (resp.statusCode() != 200 || !resp.body().equals(want))
                    throw new IOException(c + ": tenant " + tenant + " got " + resp.statusCode() + " '" + resp.body()
                            + "', expected '" + want + "'");
            }
        }
    }

    private static void report(int connections, Map<Case, List<Run>> runs) {
        List<Run> none = runs.get(Case.NONE);
        double rps0 = median(none, r -> r.wrk().perSecond()), p50 = median(none, r -> r.wrk().p50Us()),
                p90 = median(none, r -> r.wrk().p90Us()), p99 = median(none, r -> r.wrk().p99Us());
        System.out.println();
        System.out.printf("%d connections: medians over %d rounds; misrouted, failed and failed lookups are totals over the rounds.%n%n",
                connections, none.size());
        System.out.println("| case | req/s | p50 | p90 | p99 | misrouted (2xx from a wrong shard) | failed (non-2xx, socket errors)"
                + " | lookups failed: connect / no answer / not 200 (accept-queue overflows) | HAProxy CPU per request | lookup service CPU per request"
                + " | HAProxy open fds, peak | connections to the lookup service: peak, last gone after wrk stopped (longest) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Case c : Case.values()) {
            List<Run> rs = runs.get(c);
            long requests = sum(rs, r -> r.wrk().requests()), misrouted = sum(rs, r -> r.wrk().misrouted());
            double rps = median(rs, r -> r.wrk().perSecond());
            double rp50 = median(rs, r -> r.wrk().p50Us()), rp90 = median(rs, r -> r.wrk().p90Us()), rp99 = median(rs, r -> r.wrk().p99Us());
            System.out.printf("| %s | %.0f (%.2f×) | %.2f ms (%.1f×) | %.2f ms (%.1f×) | %.2f ms (%.1f×) | %s | %d of %d | %s | %.0f µs | %s | %d | %s |%n",
                    c.title, rps, rps / rps0, rp50 / 1e3, rp50 / p50, rp90 / 1e3, rp90 / p90, rp99 / 1e3, rp99 / p99,
                    c == Case.NONE ? "not checked (one shard by design)"
                            : "%d of %d (%.3f %%)".formatted(misrouted, requests, 100.0 * misrouted / requests),
                    sum(rs, r -> r.wrk().failed()), requests,
                    c == Case.LUA ? "%d / %d / %d (%d)".formatted(sum(rs, r -> r.lookups("connect_failed")),
                            sum(rs, r -> r.lookups("no_answer")), sum(rs, r -> r.lookups("not_200")), sum(rs, Run::listenOverflows)) : "—",
                    median(rs, Run::proxyCpuUsPerRequest),
                    c == Case.LUA ? "%.0f µs".formatted(median(rs, Run::lookupCpuUsPerRequest)) : "—",
                    rs.stream().mapToLong(Run::peakFds).max().orElse(0),
                    c == Case.LUA ? "%d, %.1f s".formatted(rs.stream().mapToLong(Run::peakToLookup).max().orElse(0),
                            rs.stream().mapToLong(r -> r.settle().toMillis()).max().orElse(0) / 1e3) : "—");
        }
    }

    private static void reportDown(TenantShards table, int connections, Map<Case, Run> down) {
        long elsewhere = TENANTS - table.on(DEFAULT_SHARD);
        System.out.println();
        System.out.printf("Lookup service stopped, %d connections (%d of %d tenants, %.1f %%, live on another shard than the"
                + " default %s):%n%n", connections, elsewhere, TENANTS, 100.0 * elsewhere / TENANTS, DEFAULT_SHARD);
        System.out.println("| case, lookup service stopped | req/s | requests answered 2xx by a wrong shard | users answered by a wrong shard"
                + " | failed (non-2xx, socket errors) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Case c : List.of(Case.LUA, Case.MAP)) {
            Wrk.Result w = down.get(c).wrk();
            System.out.printf("| %s | %.0f | %d of %d (%.1f %%) | %d of %d (%.1f %%) | %d |%n", c.title, w.perSecond(), w.misrouted(),
                    w.requests(), 100 * w.misroutedShare(), w.wrongUsers(), w.users(), 100 * w.wrongUserShare(), w.failed());
        }
    }

    /** {@code text}: positive numbers separated by commas. */
    private static List<Integer> connections(String text) {
        List<Integer> loads = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                int n = Integer.parseInt(part.trim());
                if (n > 0) {
                    loads.add(n);
                    continue;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("connections (argument 4): invalid value '" + text
                    + "' (positive numbers separated by commas, e.g. 50,400)");
        }
        return loads;
    }

    private static long sum(List<Run> runs, ToLongFunction<Run> f) {
        return runs.stream().mapToLong(f).sum();
    }

    private static String shardCounts(TenantShards table) {
        StringBuilder b = new StringBuilder();
        for (String s : SHARDS) b.append(b.isEmpty() ? "" : ", ").append(s).append(' ').append(table.on(s));
        return b.toString();
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double ticksToUs(long ticks) {
        // Linux reports process CPU times in USER_HZ ticks, 100 per second on every mainstream architecture.
        return ticks * 10_000.0;
    }
}
