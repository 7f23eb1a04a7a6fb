package dev.hsdo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.ServersStateParser;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.plan.ServerIds;
import dev.hsdo.store.PlanJson;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** hsdo standalone in front of a real HAProxy, driven by a servers file, checked by what HAProxy routes and reports. */
class StandaloneIT {
    private static final Duration CONVERGE = Duration.ofSeconds(5);
    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path shared;
    static Origins origins;

    @TempDir
    Path dir;
    Standalone hsdo;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    int frontend;
    int admin;
    Path servers;
    RuntimeApi api;

    @BeforeAll
    static void startOrigins() {
        origins = Origins.start(shared, "o1", "o2", "o3", "o4", "o5");
    }

    @AfterAll
    static void stopOrigins() {
        if (origins != null) origins.close();
    }

    @AfterEach
    void stop() {
        if (api != null) api.close();
        if (hsdo != null) hsdo.close();
    }

    private String entry(String name) {
        return "name: " + name + ", address: 127.0.0.1, port: " + origins.port(name);
    }

    private List<String> entries(String... names) {
        List<String> list = new ArrayList<>();
        for (String n : names) list.add(entry(n));
        return list;
    }

    private void start(List<String> entries) throws Exception {
        int[] ports = Ports.free(2);
        frontend = ports[0];
        admin = ports[1];
        servers = dir.resolve("servers.yaml");
        ServerFile.write(servers, entries);
        Path config = dir.resolve("hsdo.yaml");
        Files.writeString(config, """
                haproxy:
                  runtime-dir: ./run
                  stop-with-hsdo: true
                frontends:
                  - {name: fe, bind: 127.0.0.1:%d, default-backend: app}
                backends:
                  - name: app
                    balance: uri
                    sources: [servers]
                    health-check: {inter: 500ms, fastinter: 200ms, downinter: 500ms}
                sources:
                  - {name: servers, type: file, path: servers.yaml}
                reconcile-interval: 1s
                drain-period: 10s
                admin: {bind: "127.0.0.1:%d", token: %s}
                store: {type: file, path: ./state/plan.json}
                """.formatted(frontend, admin, TOKEN));
        HsdoConfig c = ConfigLoader.load(config, Map.of());
        hsdo = Standalone.start(c, clock);
        api = SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(5));
        await().atMost(CONVERGE).until(() -> hsdo.agent().status().converged());
    }

    private Map<String, ServerStateRow> state() throws Exception {
        return ServersStateParser.parse(api.call("show servers state app")).stream()
                .collect(Collectors.toMap(ServerStateRow::serverName, r -> r));
    }

    private Set<String> answers(int uris) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < uris; i++) seen.add(Http.get(frontend, "/key/" + i).trim());
        return seen;
    }

    private Map<String, String> routing(int uris) {
        Map<String, String> owner = new HashMap<>();
        for (int i = 0; i < uris; i++) owner.put("/key/" + i, Http.get(frontend, "/key/" + i).trim());
        return owner;
    }

    @Test
    void serversFromTheFileServeWithIdsFromIdentityAndAnAddedOneNeedsNoReload() throws Exception {
        start(entries("o1", "o2", "o3"));
        assertThat(answers(60)).containsExactlyInAnyOrder("o1", "o2", "o3");
        Map<String, Integer> ids = ServerIds.assign(List.of("o1", "o2", "o3"));
        state().forEach((name, row) -> assertThat(row.serverId()).isEqualTo(ids.get(name)));
        long worker = hsdo.haproxy().workerPid();

        ServerFile.write(servers, entries("o1", "o2", "o3", "o4"));
        await().atMost(CONVERGE).until(() -> state().containsKey("o4") && state().get("o4").isReady());
        assertThat(state().get("o4").serverId()).isEqualTo(ServerIds.assign(List.of("o1", "o2", "o3", "o4")).get("o4"));
        assertThat(answers(80)).contains("o4");
        assertThat(hsdo.haproxy().workerPid()).as("no reload for membership").isEqualTo(worker);
        assertThat(Files.readString(dir.resolve("run/haproxy.cfg"))).as("config on disk is current")
                .contains("server o4 127.0.0.1:" + origins.port("o4"));
    }

    @Test
    void removedServerIsDrainedForTheDrainPeriodThenDeleted() throws Exception {
        start(entries("o1", "o2", "o3", "o4"));
        ServerFile.write(servers, entries("o1", "o2", "o3"));
        await().atMost(CONVERGE).until(() -> state().get("o4").isDrain());
        assertThat(answers(60)).doesNotContain("o4");
        assertThat(state()).containsKey("o4");

        clock.advance(Duration.ofSeconds(11));
        hsdo.controller().wake();
        await().atMost(CONVERGE).until(() -> !state().containsKey("o4"));
        assertThat(state()).containsOnlyKeys("o1", "o2", "o3");
        assertThat(Files.readString(dir.resolve("run/haproxy.cfg"))).doesNotContain("server o4 ");
    }

    @Test
    void weightAndAddressChangesAreAppliedInPlace() throws Exception {
        start(entries("o1", "o2", "o3"));
        Map<String, String> before = routing(60);
        String o2Key = before.entrySet().stream().filter(e -> e.getValue().equals("o2")).findFirst().orElseThrow().getKey();
        int o2Id = state().get("o2").serverId();

        // o2 keeps its name, so its identity and id: only its port (the o5 origin) changes.
        ServerFile.write(servers, List.of("name: o1, address: 127.0.0.1, port: " + origins.port("o1") + ", weight: 50",
                "name: o2, address: 127.0.0.1, port: " + origins.port("o5"), entry("o3")));
        await().atMost(CONVERGE).until(() -> state().get("o2").port() == origins.port("o5")
                && state().get("o1").userWeight() == 50);
        assertThat(state().get("o2").serverId()).isEqualTo(o2Id);
        assertThat(Http.get(frontend, o2Key).trim()).isEqualTo("o5");
    }

    @Test
    void serverAddedByHandIsRemovedAndServerDeletedByHandComesBack() throws Exception {
        start(entries("o1", "o2", "o3"));
        assertThat(api.execute(List.of(
                "add server app/intruder 127.0.0.1:" + origins.port("o5") + " id 77 weight 1",
                "set server app/intruder state ready",
                "set server app/o1 state maint",
                "del server app/o1"))).allMatch(r -> r.ok());
        assertThat(state()).containsKey("intruder").doesNotContainKey("o1");

        await().atMost(Duration.ofMillis(2500)).until(() -> state().keySet().equals(Set.of("o1", "o2", "o3"))
                && state().get("o1").isReady());
        assertThat(answers(60)).containsExactlyInAnyOrder("o1", "o2", "o3");
    }

    @Test
    void killedHaproxyIsBackWithTheFullPlanWithinOneSecond() throws Exception {
        start(entries("o1", "o2", "o3", "o4"));
        ServerFile.write(servers, entries("o1", "o2", "o3", "o4", "o5"));
        await().atMost(CONVERGE).until(() -> state().size() == 5);
        long pid = hsdo.haproxy().pid();

        long t0 = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).ignoreExceptions().until(() ->
                hsdo.haproxy().pid() != pid && state().size() == 5 && state().values().stream().allMatch(ServerStateRow::isReady));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("HAProxy killed -> full plan again in " + ms + " ms");
        assertThat(answers(60)).containsExactlyInAnyOrder("o1", "o2", "o3", "o4", "o5");
    }

    @Test
    void reloadKeepsEveryServerWithItsIdAndState() throws Exception {
        start(entries("o1", "o2", "o3", "o4"));
        ServerFile.write(servers, entries("o1", "o2", "o3"));
        await().atMost(CONVERGE).until(() -> state().get("o4").isDrain());
        Map<String, Integer> ids = state().values().stream()
                .collect(Collectors.toMap(ServerStateRow::serverName, ServerStateRow::serverId));
        long worker = hsdo.haproxy().workerPid();

        hsdo.haproxy().reload();
        await().atMost(CONVERGE).ignoreExceptions().until(() -> hsdo.haproxy().workerPid() != worker);
        await().atMost(CONVERGE).ignoreExceptions().until(() -> state().get("o4").isDrain());
        assertThat(state().values().stream().collect(Collectors.toMap(ServerStateRow::serverName, ServerStateRow::serverId)))
                .isEqualTo(ids);
        assertThat(answers(60)).containsExactlyInAnyOrder("o1", "o2", "o3");
    }

    @Test
    void injectionAttemptsAreRejectedAndNothingOfThemIsApplied() throws Exception {
        start(entries("o1"));
        int p = origins.port("o2");
        ServerFile.writeRaw(servers, """
                servers:
                  - {name: o1, address: 127.0.0.1, port: %d}
                  - {name: "a;shutdown sessions", address: 127.0.0.1, port: %d}
                  - {name: "evil\\nshow info", address: 127.0.0.1, port: %d}
                  - {name: "two words", address: 127.0.0.1, port: %d}
                  - {name: tagged, address: 127.0.0.1, port: %d, meta: {maxconn: "5;shutdown sessions"}}
                  - {name: spaced, address: "127.0.0.1 backup", port: %d}
                  - {name: o3, address: 127.0.0.1, port: %d}
                """.formatted(origins.port("o1"), p, p, p, p, p, origins.port("o3")));
        await().atMost(CONVERGE).until(() -> state().containsKey("o3"));
        assertThat(state()).containsOnlyKeys("o1", "o3");
        HttpResponse<String> status = adminGet("/api/v1/status");
        assertThat(status.body()).contains("a;shutdown sessions").contains("evil\\\\nshow info").contains("two words")
                .contains("5;shutdown sessions").contains("127.0.0.1 backup");
        assertThat(answers(40)).containsExactlyInAnyOrder("o1", "o3");
    }

    @Test
    void massRemovalIsHeldBackUntilAnOperatorWithTheTokenReleasesIt() throws Exception {
        start(entries("o1", "o2", "o3", "o4"));
        ServerFile.write(servers, entries("o1"));
        await().atMost(CONVERGE).until(() -> hsdo.controller().current().backend("app").heldBack() != null);
        assertThat(adminGet("/api/v1/status").body()).contains("would remove 3 of 4 serving servers");
        assertThat(state().values()).hasSize(4).allMatch(ServerStateRow::isReady);

        assertThat(adminPost("/api/v1/guard/release?backend=app", null).statusCode()).isEqualTo(401);
        assertThat(adminPost("/api/v1/guard/release?backend=app", "wrong").statusCode()).isEqualTo(401);
        assertThat(adminPost("/api/v1/guard/release?backend=app", TOKEN).statusCode()).isEqualTo(202);
        await().atMost(CONVERGE).until(() -> state().get("o1").isReady()
                && state().values().stream().filter(ServerStateRow::isDrain).count() == 3);
        assertThat(answers(40)).containsExactly("o1");
    }

    @Test
    void adminApiReportsReadinessPlanAndMetrics() throws Exception {
        start(entries("o1", "o2"));
        assertThat(adminGet("/healthz").statusCode()).isEqualTo(200);
        assertThat(adminGet("/readyz").statusCode()).isEqualTo(200);
        assertThat(adminGet("/api/v1/plan").body()).contains("\"generation\"").contains("\"o1\"");
        String metrics = adminGet("/metrics").body();
        assertThat(metrics).contains("hsdo_commands_sent_total").contains("hsdo_apply_duration_seconds")
                .contains("hsdo_plan_generation").contains("hsdo_servers{backend=\"app\",state=\"up\"}");
        // The status carries every planned server and what HAProxy reports of it, which the page at / shows.
        await().atMost(CONVERGE).untilAsserted(() -> {
            JsonNode status = PlanJson.mapper().readTree(adminGet("/api/v1/status").body());
            List<String> planned = status.path("plan").path("backends").path("app").path("members").findValuesAsText("name");
            assertThat(planned).hasSize(2);
            for (String name : planned)
                assertThat(status.path("haproxy").path("servers").path("app").path(name).path("status").asText()).isEqualTo("UP");
        });
        assertThat(adminGet("/").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");

        // A stuck HAProxy (its worker stopped) makes hsdo not ready; it is ready again once HAProxy answers.
        long worker = hsdo.haproxy().workerPid();
        signal("STOP", worker);
        try {
            await().atMost(CONVERGE).until(() -> adminGet("/readyz").statusCode() == 503);
            assertThat(adminGet("/readyz").body()).contains("unreachable");
        } finally {
            signal("CONT", worker);
        }
        await().atMost(CONVERGE).until(() -> adminGet("/readyz").statusCode() == 200);
    }

    private static void signal(String sig, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).start().waitFor()).isZero();
    }

    private HttpResponse<String> adminGet(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> adminPost(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
