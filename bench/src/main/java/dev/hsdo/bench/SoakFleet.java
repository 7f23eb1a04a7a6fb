package dev.hsdo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the soak run starts, all on 127.0.0.1 with free ports and files under one directory: origins (one
 * HAProxy answering its own name per port), BIND 9 with the SRV record, a three-member etcd, two
 * {@code hsdo controller} and three {@code hsdo agent} processes from the built jar, each agent with its own
 * HAProxy and frontend. Backend {@code files} comes from a servers file, backend {@code dns} from the SRV
 * record; paths under {@code /d/} go to {@code dns}, the others to {@code files}.
 */
final class SoakFleet implements AutoCloseable {
    static final String SRV = "_http._tcp.app";
    static final int FILE_ORIGINS = 8;
    static final int DNS_ORIGINS = 5;

    final Path dir;
    final Map<String, Integer> origins = new LinkedHashMap<>();
    final List<HsdoProc> agents = new ArrayList<>();
    final List<HsdoProc> controllers = new ArrayList<>();
    Haproxy originProcess;
    Named named;
    EtcdTrio etcd;
    Churn churn;
    /** What went wrong while starting, in the order it happened. */
    final List<String> setupNotes = java.util.Collections.synchronizedList(new ArrayList<>());
    // Guarded by this: the ports the SRV record lists now.
    private final Set<Integer> dnsExpected = new TreeSet<>();

    private SoakFleet(Path dir) {
        this.dir = dir;
    }

    /** Starts everything and waits until every agent serves both backends; on failure stops what it started. */
    static SoakFleet start(Path dir, Path jar, List<String> java, java.util.function.IntSupplier slot) throws Exception {
        SoakFleet f = new SoakFleet(dir);
        try {
            f.startAll(jar, java, slot);
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    private void startAll(Path jar, List<String> java, java.util.function.IntSupplier slot) throws Exception {
        List<Integer> ports = Haproxy.freePorts(FILE_ORIGINS + DNS_ORIGINS + 3 + 5);
        StringBuilder body = new StringBuilder();
        List<String> zone = new ArrayList<>();
        int p = 0;
        for (int i = 1; i <= FILE_ORIGINS; i++) origins.put("f" + i, ports.get(p++));
        for (int i = 1; i <= DNS_ORIGINS; i++) origins.put("d" + i, ports.get(p++));
        origins.forEach((name, port) -> body.append("frontend ").append(name).append("\n  bind 127.0.0.1:").append(port)
                .append("\n  http-request return status 200 content-type text/plain string ").append(name).append('\n'));
        originProcess = Haproxy.start(dir, "origins", body.toString());
        for (int i = 1; i <= DNS_ORIGINS; i++) zone.add("d" + i + " IN A 127.0.0.1");
        for (int i = 1; i < DNS_ORIGINS; i++) {
            zone.add(SRV + " IN SRV 10 50 " + origins.get("d" + i) + " d" + i);
            dnsExpected.add(origins.get("d" + i));
        }
        named = Named.start(dir.resolve("named"), zone);
        etcd = EtcdTrio.start(Files.createDirectories(dir.resolve("etcd")));
        if (etcd.awaitLeader(Duration.ofSeconds(30)) < 0) throw new IOException("etcd elected no leader within 30 s");

        List<Integer> frontends = ports.subList(p, p + 3);
        List<Integer> admin = ports.subList(p + 3, p + 8);
        Path servers = dir.resolve("servers.yaml");
        for (int i = 0; i < 2; i++)
            controllers.add(node("c" + i, "controller", "controller-id: c" + i, admin.get(i), frontends.get(0), -1, servers, jar, java));
        for (int i = 0; i < 3; i++)
            agents.add(node("a" + i, "agent", "agent-id: a" + i, admin.get(2 + i), frontends.get(i), frontends.get(i), servers, jar, java));
        List<Integer> fileOrigins = ports.subList(0, FILE_ORIGINS);
        churn = new Churn(servers, fileOrigins.subList(0, 4), fileOrigins.subList(4, FILE_ORIGINS), agents, 60_000, slot);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Double>> started = new ArrayList<>();
            for (HsdoProc n : all()) started.add(pool.submit(() -> startPatiently(n)));
            for (Future<Double> s : started) s.get();
        }
        if (awaitSettled(agents, Duration.ofSeconds(60)) < 0)
            throw new IOException("the agents did not serve both backends within 60 s of starting: " + servingSummary());
    }

    // At set-up a process that exits (e.g. the store slow to answer its first read) is started again, twice at
    // most, and said so: the run measures faults, and a failed start is itself worth knowing.
    private double startPatiently(HsdoProc n) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return n.start();
            } catch (IOException e) {
                if (attempt == 3) throw e;
                String m = e.getMessage().strip();
                String note = m.substring(0, m.indexOf(':') + 1) + " ... " + m.substring(m.lastIndexOf('\n') + 1) + "; started again";
                setupNotes.add(note);
                System.out.println("set-up: " + note);
            }
        }
    }

    private HsdoProc node(String name, String role, String fleet, int admin, int frontend, int agentFrontend, Path servers,
                          Path jar, List<String> java) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        StringBuilder endpoints = new StringBuilder();
        for (String e : etcd.endpoints()) endpoints.append(endpoints.isEmpty() ? "" : ", ").append('"').append(e).append('"');
        Files.writeString(home.resolve("hsdo.yaml"), """
                haproxy: {runtime-dir: ./run}
                frontends:
                  - name: fe
                    bind: "127.0.0.1:%d"
                    default-backend: files
                    use-backends: [{backend: dns, if-path-beg: /d/}]
                backends:
                  - {name: files, balance: uri, sources: [servers]}
                  - {name: dns, balance: uri, sources: [srv]}
                sources:
                  - {name: servers, type: file, path: %s}
                  - {name: srv, type: dns, srv: "%s.%s", servers: ["127.0.0.1:%d"], refresh: 1s}
                admin: {bind: "127.0.0.1:%d"}
                store: {type: etcd, endpoints: [%s], prefix: /soak}
                fleet: {%s}
                """.formatted(frontend, servers, SRV, Named.ZONE, named.port(), admin, endpoints, fleet));
        return new HsdoProc(name, role, home, admin, agentFrontend, java, jar);
    }

    List<HsdoProc> all() {
        List<HsdoProc> a = new ArrayList<>(controllers);
        a.addAll(agents);
        return a;
    }

    List<Integer> frontends() {
        return agents.stream().map(a -> a.frontend).toList();
    }

    Set<String> names(String prefix) {
        Set<String> s = new TreeSet<>();
        for (String n : origins.keySet()) if (n.startsWith(prefix)) s.add(n);
        return s;
    }

    synchronized Set<Integer> dnsExpected() {
        return Set.copyOf(dnsExpected);
    }

    /** Adds the SRV target {@code node} when the record lacks it, removes it otherwise; returns "added"/"removed". */
    String toggleDns(String node) throws IOException {
        int port = origins.get(node);
        boolean add;
        synchronized (this) {
            add = !dnsExpected.contains(port);
        }
        named.srv(add, List.of(SRV), port, node);
        synchronized (this) {
            if (add) dnsExpected.add(port);
            else dnsExpected.remove(port);
        }
        return add ? "added" : "removed";
    }

    /**
     * Waits until each of {@code which} serves what the servers file and the SRV record list now; returns the
     * seconds waited, or -1 when {@code bound} passed first.
     */
    double awaitSettled(List<HsdoProc> which, Duration bound) throws InterruptedException {
        long t0 = System.nanoTime();
        while (true) {
            boolean all = true;
            for (HsdoProc a : which)
                all &= churn.expected().equals(a.serving(Churn.BACKEND)) && dnsExpected().equals(a.serving("dns"));
            double s = (System.nanoTime() - t0) / 1e9;
            if (all) return s;
            if (s > bound.toSeconds()) return -1;
            Thread.sleep(Churn.POLL_MS);
        }
    }

    /** Seconds until {@code agent}'s frontend answers a request with 200, or -1 after {@code bound}. */
    static double awaitAnswer(HsdoProc agent, Duration bound) throws InterruptedException {
        long t0 = System.nanoTime();
        while (true) {
            double s = (System.nanoTime() - t0) / 1e9;
            if (RawHttp.get(agent.frontend, "/f/0").ok()) return s;
            if (s > bound.toSeconds()) return -1;
            Thread.sleep(50);
        }
    }

    /** The controller that says it leads, waiting up to {@code bound}; null when none does. */
    HsdoProc leader(Duration bound) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < bound.toNanos()) {
            for (HsdoProc c : controllers) if (c.alive() && c.leads()) return c;
            Thread.sleep(100);
        }
        return null;
    }

    /** What each agent serves against what is expected, e.g. "a0 files 6/6 dns 4/4". */
    String servingSummary() {
        List<String> parts = new ArrayList<>();
        Set<Integer> files = churn.expected(), dns = dnsExpected();
        for (HsdoProc a : agents) {
            Set<Integer> f = a.serving(Churn.BACKEND), d = a.serving("dns");
            parts.add(a.name + (f == null ? " HAProxy not answering" : " files " + describe(f, files) + " dns " + describe(d, dns)));
        }
        return String.join(", ", parts);
    }

    private static String describe(Set<Integer> have, Set<Integer> want) {
        if (have == null) return "?";
        long right = have.stream().filter(want::contains).count();
        return right + "/" + want.size() + (have.size() > right ? " +" + (have.size() - right) + " extra" : "");
    }

    /** How many HAProxy masters run from each agent's config, e.g. "a0 1, a1 2". */
    String masters() {
        List<String> parts = new ArrayList<>();
        for (HsdoProc a : agents) parts.add(a.name + " " + a.haproxyMasters().size());
        return String.join(", ", parts);
    }

    /**
     * Starts again whatever is not running (a fault that failed half-way) and stops HAProxy masters an agent left
     * behind (any master from its config but the one in its pid file), so that each fault starts from a clean
     * fleet; returns what it did, or "".
     */
    String heal() {
        List<String> notes = new ArrayList<>();
        for (HsdoProc a : agents) {
            long current = a.haproxyPidFile();
            if (current < 0) continue;
            List<Long> all = Procs.haproxies(a.haproxyConfig());
            for (long m : Procs.masters(all)) {
                if (m == current) continue;
                List<Long> tree = all.stream().filter(pid -> pid == m || Procs.parent(pid) == m).toList();
                tree.forEach(pid -> Procs.signal(pid, "KILL"));
                notes.add("killed HAProxy " + tree + " left behind by " + a.name + " (its pid file names " + current + ")");
            }
        }
        for (HsdoProc n : all()) {
            if (n.alive()) continue;
            String why = n.exitDescription();
            try {
                n.start();
                notes.add(n.name + " was not running (" + why + "), started again");
            } catch (Exception e) {
                notes.add(n.name + " was not running (" + why + ") and did not start: " + firstLine(e));
            }
        }
        for (int i = 0; i < EtcdTrio.SIZE; i++) {
            if (etcd.running(i)) continue;
            try {
                etcd.start(i);
                notes.add(etcd.name(i) + " was not running, started again");
            } catch (Exception e) {
                notes.add(etcd.name(i) + " was not running and did not start: " + firstLine(e));
            }
        }
        if (!named.running()) {
            try {
                named.start();
                notes.add("bind9 was not running, started again");
            } catch (Exception e) {
                notes.add("bind9 was not running and did not start: " + firstLine(e));
            }
        }
        return String.join("; ", notes);
    }

    static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)) + (e instanceof IOException ? "" : " (" + e.getClass().getSimpleName() + ")");
    }

    static String secs(double s) {
        return s < 0 ? "not within the bound" : String.format(Locale.ROOT, s < 10 ? "%.2f s" : "%.1f s", s);
    }

    /** Stops the hsdo processes (SIGTERM), then everything else, then any process left behind under {@link #dir}. */
    @Override
    public void close() {
        for (HsdoProc n : all()) n.stop(Duration.ofSeconds(20));
        if (etcd != null) etcd.close();
        if (named != null) {
            try {
                named.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (originProcess != null) originProcess.close();
    }
}
