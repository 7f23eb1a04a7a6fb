package dev.hsdo.cli;

import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane is not on the data path (DESIGN invariant 9): {@code hsdo run}, started from the built
 * jar as a user starts it, leaves its HAProxy serving when it stops, however it stops, and the next hsdo
 * adopts that HAProxy instead of starting another; only {@code haproxy.stop-with-hsdo} stops it with hsdo.
 */
class HaproxyOutlivesHsdoIT {
    private static final Duration STARTS = Duration.ofSeconds(60);
    private static final Duration STOPS = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();
    private Origins origins;
    private int frontend;
    private LeftHaproxy haproxy;
    private int started;

    @BeforeEach
    void setUp() {
        origins = running.add(Origins.start(dir, "o1", "o2"));
        frontend = Ports.free();
        haproxy = running.add(new LeftHaproxy(dir.resolve("run")));
    }

    private Path config(String extraHaproxy, String... servers) throws IOException {
        Path c = StandaloneYaml.write(dir, frontend, extraHaproxy);
        servers(servers);
        return c;
    }

    private void servers(String... names) {
        ServerFile.write(dir.resolve("servers.yaml"), java.util.Arrays.stream(names)
                .map(n -> "name: " + n + ", address: 127.0.0.1, port: " + origins.port(n)).toList());
    }

    // Starts hsdo run and waits until it says it runs and HAProxy routes to every origin in `expected`.
    private HsdoJar.Started startHsdo(Path config, boolean ownProcessGroup, String... expected) {
        HsdoJar.Started hsdo = running.add(HsdoJar.start(dir, Map.of(), ownProcessGroup,
                dir.resolve("hsdo-" + (++started) + ".log"), "run", "-c", config.toString()));
        await().atMost(STARTS).until(() -> {
            assertThat(hsdo.process.isAlive()).as("hsdo exited:\n%s", hsdo.output()).isTrue();
            return hsdo.output().contains("hsdo running:");
        });
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> routes().equals(Set.of(expected)));
        return hsdo;
    }

    private Set<String> routes() {
        return java.util.stream.IntStream.range(0, 30).mapToObj(i -> Http.get(frontend, "/k/" + i).strip())
                .collect(Collectors.toSet());
    }

    private Set<Long> workers() {
        return haproxy.master().orElseThrow().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void restartingHsdoUnderLoadFailsNoRequestAndKeepsTheSameHaproxy() throws Exception {
        Path c = config("", "o1", "o2");
        HsdoJar.Started first = startHsdo(c, false, "o1", "o2");
        long master = haproxy.masterPid();
        Set<Long> workers = workers();
        AtomicBoolean load = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread client = Thread.ofVirtual().start(() -> {
            // Bounded by count as well as by the flag: at most 200 000 requests.
            for (int i = 0; load.get() && i < 200_000; i++) {
                try {
                    var r = Http.fetch(frontend, "/load/" + (i % 100));
                    if (r.statusCode() == 200) ok.incrementAndGet();
                    else failures.add(r.statusCode() + " " + r.body().strip());
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 100);

        assertThat(first.terminate(STOPS)).as("hsdo stops on SIGTERM:\n%s", first.output()).isTrue();
        int duringDowntime = ok.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > duringDowntime + 100);
        HsdoJar.Started second = startHsdo(c, false, "o1", "o2");
        int afterRestart = ok.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > afterRestart + 300);
        load.set(false);
        client.join(Duration.ofSeconds(10));
        System.out.printf("hsdo restart under load: %d requests succeeded (%d while hsdo was down), %d failed%n",
                ok.get(), afterRestart - duringDowntime, failures.size());

        assertThat(failures).as("requests failed across the restart (%d succeeded)", ok.get()).isEmpty();
        assertThat(second.output()).contains("adopted running haproxy: master " + master);
        assertThat(haproxy.masterPid()).as("same HAProxy master").isEqualTo(master);
        assertThat(workers()).as("same worker: no reload").isEqualTo(workers);
    }

    @Test
    void hsdoKilledWithSigkillIsFollowedByOneThatAdoptsHaproxyAndAppliesTheChangeMadeMeanwhile() throws Exception {
        Path c = config("", "o1");
        HsdoJar.Started first = startHsdo(c, false, "o1");
        long master = haproxy.masterPid();

        first.kill9();
        assertThat(Http.get(frontend, "/while-down").strip()).as("HAProxy serves without hsdo").isEqualTo("o1");
        servers("o1", "o2");
        HsdoJar.Started second = startHsdo(c, false, "o1", "o2");

        assertThat(second.output()).contains("adopted running haproxy: master " + master);
        assertThat(haproxy.masterPid()).as("no new master").isEqualTo(master);
        assertThat(haproxy.cli("show servers state app"))
                .contains(" o1 127.0.0.1 ").contains(" o2 127.0.0.1 ");
    }

    @Test
    void ctrlCInHsdosTerminalStopsHsdoButDoesNotReachHaproxy() throws Exception {
        Path c = config("", "o1");
        HsdoJar.Started hsdo = startHsdo(c, true, "o1");
        long master = haproxy.masterPid();

        // A Ctrl-C goes to the terminal's foreground process group: hsdo's, as setsid made it for this test.
        new ProcessBuilder("kill", "-INT", "--", "-" + hsdo.process.pid()).inheritIO().start().waitFor();

        assertThat(hsdo.process.waitFor(STOPS.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .as("hsdo stops on SIGINT:\n%s", hsdo.output()).isTrue();
        assertThat(haproxy.masterPid()).isEqualTo(master);
        assertThat(Http.get(frontend, "/after-ctrl-c").strip()).isEqualTo("o1");
    }

    @Test
    void withStopWithHsdoSetStoppingHsdoStopsHaproxy() throws Exception {
        Path c = config(", stop-with-hsdo: true", "o1");
        HsdoJar.Started hsdo = startHsdo(c, false, "o1");
        ProcessHandle master = haproxy.master().orElseThrow();

        assertThat(hsdo.terminate(STOPS)).as("hsdo stops on SIGTERM:\n%s", hsdo.output()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !master.isAlive());
        assertThat(Http.canConnect(frontend)).as("frontend closed").isFalse();
    }
}
