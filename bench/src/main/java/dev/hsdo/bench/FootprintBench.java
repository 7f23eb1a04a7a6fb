package dev.hsdo.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an idle fleet costs: one etcd member, one {@code hsdo controller} and one {@code hsdo agent} with its
 * HAProxy, each started through the project's {@code ./hsdo} launcher (so with the launcher's JVM options,
 * or {@code HSDO_JAVA_OPTS}) as its own process. Once the agent has applied the plan and a settling time has
 * passed, every process is sampled from {@code /proc} for the idle time: resident memory ({@code VmRSS}),
 * threads, and CPU ({@code utime + stime} over the idle time, in % of one core).
 *
 * <p>With a servers count above the number of origins, the extra servers point at closed ports with checks
 * off: a large plan to show that the heap suffices, and what it costs at rest.
 */
public final class FootprintBench {
    private static final Duration LIMIT = Duration.ofMinutes(15);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final int ORIGINS = 4;
    /** Clock ticks per second of /proc/PID/stat times: USER_HZ, 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FootprintBench() {}

    @SuppressWarnings("try") // the watchdog is only armed and disarmed
    public static void main(String[] args) throws Exception {
        String usage = "FootprintBench <work dir> <repo dir> [idle seconds] [servers]";
        Path dir = Args.workDir(args, usage);
        if (args.length < 2) throw new IllegalArgumentException("usage: " + usage);
        Path repo = Path.of(args[1]).toAbsolutePath();
        int idleSeconds = Args.positive(args, 2, "idle seconds", 60);
        int servers = Args.positive(args, 3, "servers", ORIGINS);

        List<Integer> ports = Haproxy.freePorts(ORIGINS + 5);
        int etcdClient = ports.get(ORIGINS), etcdPeer = ports.get(ORIGINS + 1), frontend = ports.get(ORIGINS + 2);
        int controllerAdmin = ports.get(ORIGINS + 3), agentAdmin = ports.get(ORIGINS + 4);
        Path serversFile = dir.resolve("servers.yaml");
        writeServers(serversFile, ports.subList(0, ORIGINS), servers);
        String store = "{type: etcd, endpoints: [\"http://127.0.0.1:%d\"], prefix: /footprint}".formatted(etcdClient);
        String checks = servers > ORIGINS ? ", health-check: {enabled: false}" : "";

        System.out.printf(Locale.ROOT, "launcher JVM options: %s%n", Launched.options());
        System.out.printf(Locale.ROOT, "%d servers, idle %d s after %d s settling%n%n", servers, idleSeconds, SETTLE.toSeconds());
        try (Watchdog ignored = Watchdog.arm(LIMIT);
             Haproxy origins = Haproxy.origins(dir, ports.subList(0, ORIGINS));
             Child etcd = Child.etcd(dir, etcdClient, etcdPeer);
             Launched controller = Launched.start(repo, dir.resolve("controller"), "controller",
                     config(serversFile, store, checks, frontend, controllerAdmin, "{controller-id: c1}"));
             Launched agent = Launched.start(repo, dir.resolve("agent"), "agent",
                     config(serversFile, store, checks, frontend, agentAdmin, "{agent-id: a1}"))) {
            long started = System.nanoTime();
            awaitReady(agentAdmin, agent);
            System.out.printf(Locale.ROOT, "agent ready (plan applied) %.1f s after start%n",
                    (System.nanoTime() - started) / 1e9);
            Thread.sleep(SETTLE);

            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("hsdo agent", agent.pid());
            pids.put("hsdo controller", controller.pid());
            agent.haproxyPids().forEach(p -> pids.put("agent's haproxy (pid " + p + ")", p));
            pids.put("etcd", etcd.pid());

            Map<String, Proc> first = new LinkedHashMap<>(), last = new LinkedHashMap<>();
            Map<String, Long> maxRss = new LinkedHashMap<>();
            pids.forEach((name, pid) -> first.put(name, Proc.read(pid)));
            long t0 = System.nanoTime();
            long end = t0 + TimeUnit.SECONDS.toNanos(idleSeconds);
            while (true) {
                pids.forEach((name, pid) -> {
                    Proc p = Proc.read(pid);
                    last.put(name, p);
                    maxRss.merge(name, p.rssKb(), Math::max);
                });
                long left = end - System.nanoTime();
                if (left <= 0) break;
                Thread.sleep(Math.min(SAMPLE_EVERY.toMillis(), TimeUnit.NANOSECONDS.toMillis(left) + 1));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%n%-34s %10s %10s %9s %8s%n", "process (idle " + Math.round(seconds) + " s)",
                    "RSS end", "RSS max", "CPU", "threads");
            for (String name : pids.keySet()) {
                Proc a = first.get(name), b = last.get(name);
                double cpu = (b.cpuTicks() - a.cpuTicks()) / TICKS / seconds * 100;
                System.out.printf(Locale.ROOT, "%-34s %7.1f MB %7.1f MB %8.2f %% %8d%n", name, b.rssKb() / 1024.0,
                        maxRss.get(name) / 1024.0, cpu, b.threads());
            }
        }
    }

    private static String config(Path servers, String store, String checks, int frontend, int admin, String fleet) {
        return """
                haproxy: {runtime-dir: ./run}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends: [{name: app, balance: uri, sources: [servers]%s}]
                sources: [{name: servers, type: file, path: %s}]
                guard: {max-removal-fraction: 1}
                admin: {bind: "127.0.0.1:%d"}
                store: %s
                fleet: %s
                """.formatted(frontend, checks, servers, admin, store, fleet);
    }

    /** The origins, then servers on closed ports 1.. up to {@code count}. */
    private static void writeServers(Path file, List<Integer> origins, int count) throws IOException {
        StringBuilder b = new StringBuilder("servers:\n");
        for (int i = 0; i < count; i++) {
            if (i < origins.size()) b.append("  - {address: 127.0.0.1, port: ").append(origins.get(i)).append("}\n");
            else b.append("  - {address: 127.0.").append(i / 250).append('.').append(i % 250 + 1).append(", port: 9}\n");
        }
        Files.writeString(file, b.toString());
    }

    private static void awaitReady(int adminPort, Launched agent) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
                .timeout(Duration.ofSeconds(5)).build();
        while (true) {
            if (!agent.alive()) throw new IllegalStateException("the agent exited; its log:\n" + agent.log());
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // the admin server is not up yet
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("agent not ready within 5 min; its log:\n" + agent.log());
            Thread.sleep(200);
        }
    }

    /** One sample of /proc/PID: resident set, CPU ticks used so far, threads. */
    record Proc(long rssKb, long cpuTicks, int threads) {
        private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
        private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)");

        static Proc read(long pid) {
            try {
                String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                // Fields after the command name (which may hold spaces) in parentheses: state is field 3,
                // utime and stime are fields 14 and 15.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new Proc(group(RSS, status), Long.parseLong(f[11]) + Long.parseLong(f[12]), (int) group(THREADS, status));
            } catch (IOException e) {
                throw new IllegalStateException("process " + pid + " is gone", e);
            }
        }

        private static long group(Pattern p, String text) {
            Matcher m = p.matcher(text);
            if (!m.find()) throw new IllegalStateException("no " + p + " in " + text);
            return Long.parseLong(m.group(1));
        }
    }

    /**
     * {@code ./hsdo ROLE -c DIR/hsdo.yaml} as a child process in {@code DIR}, its output in {@code DIR/hsdo.log}.
     * Closing stops it by PID, then any HAProxy it left (HAProxy may outlive hsdo by design).
     */
    static final class Launched implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final Thread hook;
        private List<Long> haproxy = List.of();

        private Launched(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
            this.hook = new Thread(this::close);
            Runtime.getRuntime().addShutdownHook(hook);
        }

        static String options() {
            String env = System.getenv("HSDO_JAVA_OPTS");
            return env != null ? "HSDO_JAVA_OPTS=\"" + env + "\"" : "the launcher's defaults";
        }

        static Launched start(Path repo, Path dir, String role, String config) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("hsdo.yaml"), config);
            Process p = new ProcessBuilder(repo.resolve("hsdo").toString(), role, "-c", dir.resolve("hsdo.yaml").toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("hsdo.log").toFile()).start();
            return new Launched(p, dir);
        }

        /** The JVM's PID: the launcher execs java. */
        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        String log() {
            try {
                return Files.readString(dir.resolve("hsdo.log"));
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        /**
         * The HAProxy processes this one started (remembered, to stop them after hsdo): its descendants, and
         * those named by pid files in its runtime directory (a daemonised HAProxy is no descendant).
         */
        List<Long> haproxyPids() {
            List<Long> found = new ArrayList<>();
            process.descendants().filter(Launched::isHaproxy).forEach(h -> found.add(h.pid()));
            try (var files = Files.list(dir.resolve("run"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    for (String line : Files.readAllLines(f)) {
                        if (!line.strip().matches("\\d+")) continue;
                        ProcessHandle.of(Long.parseLong(line.strip())).filter(Launched::isHaproxy)
                                .filter(h -> !found.contains(h.pid())).ifPresent(h -> found.add(h.pid()));
                    }
                }
            } catch (IOException noRuntimeDir) {
                // nothing started there yet
            }
            haproxy = List.copyOf(found);
            return haproxy;
        }

        private static boolean isHaproxy(ProcessHandle h) {
            return h.info().command().map(c -> c.endsWith("haproxy")).orElse(false);
        }

        @Override
        public synchronized void close() {
            if (haproxy.isEmpty() && process.isAlive()) haproxyPids();
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            for (long pid : haproxy) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is this call, or runs anyway
            }
        }
    }
}
