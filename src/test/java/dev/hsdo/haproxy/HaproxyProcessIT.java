package dev.hsdo.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hsdo.config.HaproxySettings;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor against the real HAProxy 2.6, in front of origins made of a second HAProxy. */
class HaproxyProcessIT {
    private static final int SLOW_MS = 3000;
    private static final ServerOptions CHECKED = ServerOptions.defaults();

    @TempDir
    static Path originDir;
    private static TestHaproxy origins;
    private static TestHaproxy slowOrigin;
    private static int o1;
    private static int o2;
    private static int slow;

    @TempDir
    Path dir;
    private RenderFixtures.Binds binds;
    private HsdoConfig config;
    private HaproxyProcess haproxy;
    private final List<Integer> starts = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    @BeforeAll
    static void startOrigins() throws IOException {
        o1 = TestHaproxy.freePort();
        o2 = TestHaproxy.freePort();
        slow = TestHaproxy.freePort();
        origins = TestHaproxy.origins(originDir, List.of(o1, o2), 0);
        Path slowDir = Files.createDirectory(originDir.resolve("slow"));
        slowOrigin = TestHaproxy.origins(slowDir, List.of(slow), SLOW_MS);
    }

    @AfterAll
    static void stopOrigins() {
        if (origins != null) origins.close();
        if (slowOrigin != null) slowOrigin.close();
    }

    @BeforeEach
    void setUp() {
        binds = new RenderFixtures.Binds(bind(), bind(), bind(), bind());
        HaproxySettings s = RenderFixtures.settings(dir, binds, null);
        // Long enough for the slow origin: a tcp proxy counts its wait for the answer as server inactivity.
        HaproxySettings patient = new HaproxySettings(s.binary(), s.runtimeDir(), s.maxconn(), s.threads(), s.log(),
                s.statsBind(), s.healthBind(), s.timeoutConnect(), s.timeoutClient(), Duration.ofSeconds(10),
                s.hardStopAfter());
        config = RenderFixtures.config(patient, binds);
        haproxy = new HaproxyProcess("haproxy", RuntimePaths.in(dir), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Backoff.standard());
        haproxy.addListener(starts::add);
    }

    @AfterEach
    void tearDown() {
        // Close client connections first: a soft-stopped worker waits for them (a tcp proxy cannot tell idle).
        http.shutdownNow();
        haproxy.close();
    }

    @Test
    void startedHaproxyRoutesRequestsToBothRenderedServers() throws Exception {
        haproxy.writeChecked(render(plan(1, o1, o2)));
        haproxy.start();

        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 40; i++) answers.add(get(binds.http(), "/key" + i).body());

        assertThat(answers).containsExactlyInAnyOrder("o1\n", "o2\n");
        assertThat(starts).containsExactly(1);
        assertThat(Files.readString(haproxy.paths().pidFile()).strip()).isEqualTo(Long.toString(haproxy.pid()));
        assertThat(haproxy.workerPid()).isPositive().isNotEqualTo(haproxy.pid());
    }

    @Test
    void killedMasterIsRestartedAndAnswersWithinOneSecond() throws Exception {
        haproxy.writeChecked(render(plan(1, o1, o2)));
        haproxy.start();
        long master = haproxy.pid();

        ProcessHandle.of(master).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(1)).until(() -> starts.contains(2) && TestHaproxy.answers(haproxy.paths().adminSocket()));
        assertThat(haproxy.pid()).isPositive().isNotEqualTo(master);
        assertThat(get(binds.http(), "/after-restart").statusCode()).isEqualTo(200);
    }

    @Test
    void killedWorkerTakesItsMasterDownAndBothComeBackWithinOneSecond() throws Exception {
        haproxy.writeChecked(render(plan(1, o1, o2)));
        haproxy.start();
        long master = haproxy.pid();
        long worker = haproxy.workerPid();

        ProcessHandle.of(worker).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(1)).until(() -> starts.contains(2) && TestHaproxy.answers(haproxy.paths().adminSocket()));
        assertThat(haproxy.pid()).isNotEqualTo(master);
        assertThat(haproxy.workerPid()).isNotEqualTo(worker);
        assertThat(get(binds.http(), "/after-restart").statusCode()).isEqualTo(200);
    }

    @Test
    void reloadAddsTheNewServerWithoutBreakingKeepAliveOrInFlightRequests() throws Exception {
        haproxy.writeChecked(render(plan(1, o1)));
        haproxy.start();
        long oldWorker = haproxy.workerPid();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread keepAlive = Thread.ofVirtual().start(() -> {
            for (int i = 0; running.get(); i++) {
                try {
                    int status = get(binds.http(), "/ka" + (i % 50)).statusCode();
                    if (status == 200) ok.incrementAndGet();
                    else failures.add("status " + status);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        await().atMost(Duration.ofSeconds(2)).until(() -> ok.get() > 20);
        haproxy.writeChecked(render(plan(2, o1, o2)));
        // Through the tcp frontend to the slow origin: the old worker holds this request across the reload.
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(request(binds.tcp(), "/slow"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(1)).until(() -> currentSessions("db") == 1);

        haproxy.reload();

        assertThat(inFlight).isNotDone();
        await().atMost(Duration.ofSeconds(2)).until(() -> answersFor(40).contains("o2\n"));
        int before = ok.get();
        await().atMost(Duration.ofSeconds(2)).until(() -> ok.get() > before + 20);
        running.set(false);
        keepAlive.join(Duration.ofSeconds(5));
        assertThat(failures).isEmpty();
        HttpResponse<String> slowAnswer = inFlight.get(SLOW_MS * 2L, TimeUnit.MILLISECONDS);
        assertThat(slowAnswer.statusCode()).isEqualTo(200);
        assertThat(slowAnswer.body()).isEqualTo("o1\n");
        assertThat(haproxy.workerPid()).isNotEqualTo(oldWorker);
        assertThat(starts).as("a reload is not a restart").containsExactly(1);
    }

    @Test
    void invalidConfigIsRefusedBeforeItTouchesTheRunningProcess() throws Exception {
        haproxy.writeChecked(render(plan(1, o1, o2)));
        haproxy.start();
        long worker = haproxy.workerPid();
        Path cfg = haproxy.paths().configFile();
        String good = Files.readString(cfg);
        String broken = good + "\nbackend broken\n  bogus-keyword on\n";

        assertThatThrownBy(() -> haproxy.writeChecked(broken))
                .isInstanceOf(HaproxyException.class).hasMessageContaining("bogus-keyword");
        assertThat(Files.readString(cfg)).isEqualTo(good);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        haproxy.writeConfig(broken);
        assertThatThrownBy(haproxy::reload)
                .isInstanceOf(HaproxyException.class).hasMessageContaining("refusing to reload").hasMessageContaining("bogus-keyword");
        assertThat(ProcStatus.parse(UnixCli.send(haproxy.paths().masterSocket(), "show proc", Duration.ofSeconds(2))).reloads())
                .isZero();
        assertThat(haproxy.workerPid()).isEqualTo(worker);
        assertThat(get(binds.http(), "/still-serving").statusCode()).isEqualTo(200);
    }

    @Test
    void startFromABrokenConfigFailsWithHaproxysMessageAndLeavesNothingRunning() throws Exception {
        haproxy.writeConfig(render(plan(1, o1)) + "\nbackend broken\n  bogus-keyword on\n");

        // What HAProxy printed reaches the caller, though its output goes to a file rather than to hsdo.
        assertThatThrownBy(haproxy::start).isInstanceOf(HaproxyException.class).hasMessageContaining("exited")
                .hasMessageContaining("bogus-keyword");

        assertThat(haproxy.pid()).isEqualTo(-1);
        assertThat(starts).isEmpty();
        haproxy.writeChecked(render(plan(1, o1)));
        haproxy.start();
        assertThat(starts).containsExactly(1);
    }

    @Test
    void stopLeavesNoHaproxyProcessAndNoRestart() throws Exception {
        haproxy.writeChecked(render(plan(1, o1, o2)));
        haproxy.start();
        long master = haproxy.pid();
        long worker = haproxy.workerPid();

        haproxy.stop();

        assertThat(Path.of("/proc/" + master)).doesNotExist();
        assertThat(Path.of("/proc/" + worker)).doesNotExist();
        assertThat(haproxy.pid()).isEqualTo(-1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> starts.equals(List.of(1)));
    }

    @Test
    void releasedHaproxyKeepsServingInASessionOfItsOwnAndIsAdoptedAndSupervisedByTheNextSupervisor() throws Exception {
        haproxy.writeChecked(render(plan(1, o1, o2)));
        haproxy.start();
        long master = haproxy.pid();
        long worker = haproxy.workerPid();
        assertThat(session(master)).as("not in the session a terminal's Ctrl-C reaches").isNotEqualTo(session(ProcessHandle.current().pid()));

        haproxy.release();

        assertThat(ProcessHandle.of(master)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
        assertThat(get(binds.http(), "/after-release").statusCode()).isEqualTo(200);
        List<Integer> nextStarts = new CopyOnWriteArrayList<>();
        try (HaproxyProcess next = new HaproxyProcess("haproxy", RuntimePaths.in(dir), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Backoff.standard())) {
            next.addListener(nextStarts::add);

            assertThat(next.adopt()).isTrue();
            assertThat(next.adopted()).isTrue();
            assertThat(next.pid()).isEqualTo(master);
            assertThat(next.workerPid()).isEqualTo(worker);

            // Not its child: it still notices the master's death and starts a new one.
            ProcessHandle.of(master).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(3)).until(() -> nextStarts.contains(2) && TestHaproxy.answers(next.paths().adminSocket()));
            assertThat(next.pid()).isPositive().isNotEqualTo(master);
            assertThat(next.adopted()).isFalse();
            assertThat(get(binds.http(), "/after-restart").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPidFileNamingAnotherProcessIsNotAdoptedAndANewHaproxyStarts() throws Exception {
        assertThat(haproxy.adopt()).as("no pid file").isFalse();
        // A pid file outlives its HAProxy, and its pid may be taken: here by the test's own JVM.
        Files.writeString(haproxy.paths().pidFile(), ProcessHandle.current().pid() + "\n");

        assertThat(haproxy.adopt()).isFalse();

        haproxy.writeChecked(render(plan(1, o1)));
        haproxy.start();
        assertThat(starts).containsExactly(1);
        assertThat(Files.readString(haproxy.paths().pidFile()).strip()).isEqualTo(Long.toString(haproxy.pid()));
    }

    private static String session(long pid) throws IOException {
        // /proc/PID/stat: "pid (comm) state ppid pgrp session ..."; comm may hold spaces, so split after ')'.
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
    }

    @Test
    void checkReportsHaproxysComplaint() throws Exception {
        Path cfg = dir.resolve("bad.cfg");
        Files.writeString(cfg, "global\n  no-such-keyword\n");

        HaproxyConfigFile.CheckResult result = HaproxyProcess.check("haproxy", cfg);

        assertThat(result.ok()).isFalse();
        assertThat(result.output()).contains("no-such-keyword");
    }

    private String render(Plan plan) {
        return ConfigRenderer.render(config, plan, RuntimePaths.in(dir));
    }

    /** app gets one server per port; db (tcp) always has the slow origin. */
    private static Plan plan(long generation, int... ports) {
        List<ServerPlan> app = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) app.add(RenderFixtures.server("o" + (i + 1), i + 1, "127.0.0.1", ports[i], CHECKED));
        return Plan.of(generation, List.of(new BackendPlan("app", app, null),
                new BackendPlan("db", List.of(RenderFixtures.server("slow", 1, "127.0.0.1", slow, CHECKED)), null)));
    }

    private Set<String> answersFor(int keys) throws Exception {
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < keys; i++) answers.add(get(binds.http(), "/key" + i).body());
        return answers;
    }

    private int currentSessions(String backend) throws IOException {
        String csv = UnixCli.send(haproxy.paths().adminSocket(), "show stat", Duration.ofSeconds(2));
        return csv.lines().filter(l -> l.startsWith(backend + ",BACKEND,")).findFirst()
                .map(l -> Integer.parseInt(l.split(",")[4])).orElseThrow();
    }

    private HttpResponse<String> get(String bind, String path) throws IOException, InterruptedException {
        return http.send(request(bind, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String bind, String path) {
        return HttpRequest.newBuilder(URI.create("http://" + bind + path)).timeout(Duration.ofSeconds(5)).build();
    }

    private static String bind() {
        return "127.0.0.1:" + TestHaproxy.freePort();
    }
}
