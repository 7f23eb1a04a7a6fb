package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.plan.ServerIds;
import dev.hsdo.testing.CollidingIds;
import dev.hsdo.testing.ConsulPlayback;
import dev.hsdo.testing.ConsulPlayback.Instance;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What must never cut serving servers, on a real HAProxy: hsdo restarted (with its stored plan) while a
 * source cannot be read, the mass-removal guard off — the backend stays as it was, every request succeeds,
 * the status says the source was never read, and once the source answers its changes are followed within
 * two seconds; the guard holding back removals while additions and expired drains go on; a newcomer whose
 * natural id collides with a serving server's.
 */
class KeepsServingIT {
    private static final Duration CONVERGE = Duration.ofSeconds(10);

    @TempDir
    static Path shared;
    static Origins origins;

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Standalone hsdo;
    ConsulPlayback consul;
    RuntimeApi api;
    int frontend;
    int admin;

    @BeforeAll
    static void startOrigins() {
        origins = Origins.start(shared, "o1", "o2", "o3", "o4", "o5", "o6");
    }

    @AfterAll
    static void stopOrigins() {
        if (origins != null) origins.close();
    }

    @AfterEach
    void stop() {
        stopHsdo();
        // HAProxy outlives hsdo (restarts in these tests adopt it): stopped by its PID once the test is done.
        new LeftHaproxy(dir.resolve("run")).close();
        if (consul != null) consul.close();
    }

    private void stopHsdo() {
        if (api != null) api.close();
        api = null;
        if (hsdo != null) hsdo.close();
        hsdo = null;
    }

    private void writeConfig(String source) throws Exception {
        writeConfig(source, 1.0);
    }

    private void writeConfig(String source, double guard) throws Exception {
        int[] ports = Ports.free(2);
        frontend = ports[0];
        admin = ports[1];
        Files.writeString(dir.resolve("hsdo.yaml"), """
                haproxy: {runtime-dir: ./run}
                frontends:
                  - {name: fe, bind: 127.0.0.1:%d, default-backend: app}
                backends:
                  - name: app
                    balance: uri
                    sources: [servers]
                    health-check: {inter: 500ms, fastinter: 200ms, downinter: 500ms}
                sources:
                  - %s
                reconcile-interval: 1s
                drain-period: 10s
                guard: {max-removal-fraction: %s}
                admin: {bind: "127.0.0.1:%d"}
                store: {type: file, path: ./state/plan.json}
                """.formatted(frontend, source, guard, admin));
    }

    private void startHsdo() throws Exception {
        hsdo = Standalone.start(ConfigLoader.load(dir.resolve("hsdo.yaml"), Map.of()), clock);
        api = SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(5));
        await().atMost(CONVERGE).until(() -> hsdo.agent().status().converged());
    }

    /** Every answer to {@code uris} requests; fails on the first request that does not get a 2xx. */
    private Set<String> answers(int uris) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < uris; i++) seen.add(Http.get(frontend, "/key/" + i).trim());
        return Set.copyOf(seen);
    }

    private Map<String, ServerStateRow> state() throws Exception {
        return api.showServersState("app").stream().collect(Collectors.toMap(ServerStateRow::serverName, r -> r));
    }

    private String status() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/api/v1/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String entry(String name) {
        return entry(name, name);
    }

    /** A servers-file entry named {@code name} for origin {@code origin}. */
    private static String entry(String name, String origin) {
        return "name: " + name + ", address: 127.0.0.1, port: " + origins.port(origin);
    }

    private List<String> entries(String... names) {
        return Stream.of(names).map(this::entry).toList();
    }

    private static final String FILE_SOURCE = "{name: servers, type: file, path: servers.yaml}";

    @Test
    void anUnreadableServersFileAtRestartLeavesTheBackendServing() throws Exception {
        Path servers = dir.resolve("servers.yaml");
        ServerFile.write(servers, entries("o1", "o2", "o3"));
        writeConfig(FILE_SOURCE);
        startHsdo();
        assertThat(answers(40)).containsExactlyInAnyOrder("o1", "o2", "o3");
        stopHsdo();

        Files.writeString(servers, "servers: [ {address: 127.0.0.1, port: 1");
        startHsdo();
        assertThat(answers(60)).containsExactlyInAnyOrder("o1", "o2", "o3");
        assertThat(state().values()).hasSize(3).allMatch(ServerStateRow::isReady);
        assertThat(status()).containsPattern("\"state\"\\s*:\\s*\"never-read\"");

        // The file is fixed: the change is followed.
        ServerFile.write(servers, entries("o1", "o2", "o3", "o4"));
        await().atMost(CONVERGE).until(() -> state().containsKey("o4"));
        assertThat(status()).containsPattern("\"state\"\\s*:\\s*\"healthy\"");
    }

    @Test
    void consulDownAtRestartLeavesTheBackendServingAndItsChangeIsFollowedWithinTwoSecondsOfItsReturn() throws Exception {
        consul = ConsulPlayback.start();
        consul.set("web", 20, node("o1"), node("o2"), node("o3"));
        writeConfig("{name: servers, type: consul, address: \"" + consul.address() + "\", services: [web], wait: 5m}");
        startHsdo();
        assertThat(answers(40)).containsExactlyInAnyOrder("o1", "o2", "o3");
        stopHsdo();

        consul.stop();
        startHsdo();
        assertThat(answers(60)).containsExactlyInAnyOrder("o1", "o2", "o3");
        assertThat(status()).containsPattern("\"state\"\\s*:\\s*\"never-read\"").contains("cannot connect to consul");

        consul.set("web", 21, node("o1"), node("o2"), node("o3"), node("o4"));
        long t0 = System.nanoTime();
        consul.restart();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> hsdo.controller().current().backend("app").servers().size() == 4);
        long planned = (System.nanoTime() - t0) / 1_000_000;
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(20)).until(() -> state().size() == 4);
        long applied = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("consul back: planned after %d ms, in HAProxy after %d ms%n", planned, applied);
        assertThat(planned).as("ms from Consul answering again to the plan following it").isLessThanOrEqualTo(2000);
        assertThat(answers(60)).contains("o4");
    }

    @Test
    void whileTheGuardHoldsAnAddedServerServesAndAnExpiredDrainIsDeleted() throws Exception {
        Path servers = dir.resolve("servers.yaml");
        ServerFile.write(servers, entries("o1", "o2", "o3", "o4", "o5"));
        writeConfig(FILE_SOURCE, 0.5);
        startHsdo();
        await().atMost(CONVERGE).until(() -> state().size() == 5);

        // o5 leaves (1 of 5: allowed) and drains until the clock passes 10 s.
        ServerFile.write(servers, entries("o1", "o2", "o3", "o4"));
        await().atMost(CONVERGE).until(() -> state().get("o5").isDrain());

        // Then 3 of the 4 serving servers vanish at once (held back) while o6 joins.
        ServerFile.write(servers, entries("o1", "o6"));
        await().atMost(CONVERGE).until(() -> hsdo.controller().current().backend("app").heldBack() != null);
        await().atMost(CONVERGE).until(() -> state().containsKey("o6") && state().get("o6").isReady());
        assertThat(hsdo.controller().current().backend("app").heldBack()).contains("would remove 3 of 4 serving servers");

        clock.advance(Duration.ofSeconds(11));
        hsdo.controller().wake();
        await().atMost(CONVERGE).until(() -> !state().containsKey("o5"));
        assertThat(state().keySet()).containsExactlyInAnyOrder("o1", "o2", "o3", "o4", "o6");
        assertThat(state().values()).allMatch(ServerStateRow::isReady);
        Set<String> answers = new HashSet<>();
        await().atMost(CONVERGE).until(() -> {
            answers.addAll(answers(40));
            return answers.contains("o6");
        });
        assertThat(answers).doesNotContain("o5");
    }

    @Test
    void theIncumbentKeepsItsIdAndIsNeverCutWhenANewcomerCollidesWithIt() throws Exception {
        List<String> pair = CollidingIds.pair("srv-");
        String newcomer = pair.get(0), incumbent = pair.get(1);
        int id = ServerIds.natural(incumbent, 0);
        Path servers = dir.resolve("servers.yaml");
        ServerFile.write(servers, List.of(entry(incumbent, "o1")));
        writeConfig(FILE_SOURCE, 0.5);
        startHsdo();
        assertThat(state().get(incumbent).serverId()).isEqualTo(id);

        ServerFile.write(servers, List.of(entry(incumbent, "o1"), entry(newcomer, "o2")));
        // Sample HAProxy's view of the incumbent until the newcomer is in: every sample must show it serving.
        List<String> samples = new ArrayList<>();
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(5)).until(() -> {
            Map<String, ServerStateRow> now = state();
            ServerStateRow row = now.get(incumbent);
            samples.add(row == null ? "absent" : row.isReady() ? "ready id " + row.serverId() : "not ready id " + row.serverId());
            return now.containsKey(newcomer) && now.get(newcomer).isReady();
        });
        assertThat(samples).as("the incumbent in every sample while the newcomer joined").containsOnly("ready id " + id);
        assertThat(state().get(newcomer).serverId()).isNotEqualTo(id);
        assertThat(answers(40)).containsExactlyInAnyOrder("o1", "o2");
    }

    private static Instance node(String name) {
        return Instance.passing(name, "127.0.0.1", origins.port(name));
    }
}
