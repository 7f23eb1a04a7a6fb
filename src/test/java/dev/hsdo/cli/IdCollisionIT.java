package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.plan.ServerIds;
import dev.hsdo.testing.CollidingIds;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A newcomer whose natural id equals a serving server's, and whose identity sorts first: on a real HAProxy
 * the serving server keeps its id and is never put in maintenance or deleted while the newcomer joins.
 */
class IdCollisionIT {
    private static final Duration CONVERGE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Origins origins;
    Standalone hsdo;
    RuntimeApi api;

    @AfterEach
    void stop() {
        if (api != null) api.close();
        if (hsdo != null) hsdo.close();
        if (origins != null) origins.close();
    }

    private Map<String, ServerStateRow> state() throws Exception {
        return api.showServersState("app").stream().collect(Collectors.toMap(ServerStateRow::serverName, r -> r));
    }

    @Test
    void theIncumbentKeepsItsIdAndIsNeverCutWhenANewcomerCollidesWithIt() throws Exception {
        List<String> pair = CollidingIds.pair("srv-");
        String newcomer = pair.get(0), incumbent = pair.get(1);
        int id = ServerIds.natural(incumbent, 0);
        origins = Origins.start(dir, "a", "b");
        int frontend = Ports.free();
        Path servers = dir.resolve("servers.yaml");
        String incumbentEntry = "name: " + incumbent + ", address: 127.0.0.1, port: " + origins.port("a");
        ServerFile.write(servers, List.of(incumbentEntry));
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
                  - {name: servers, type: file, path: servers.yaml}
                reconcile-interval: 1s
                admin: {bind: ""}
                store: {type: file, path: ./state/plan.json}
                """.formatted(frontend));
        hsdo = Standalone.start(ConfigLoader.load(dir.resolve("hsdo.yaml"), Map.of()),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
        api = SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(5));
        await().atMost(CONVERGE).until(() -> hsdo.agent().status().converged() && state().containsKey(incumbent));
        assertThat(state().get(incumbent).serverId()).isEqualTo(id);

        ServerFile.write(servers, List.of(incumbentEntry,
                "name: " + newcomer + ", address: 127.0.0.1, port: " + origins.port("b")));
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
        assertThat(Http.get(frontend, "/").trim()).isIn("a", "b");
    }
}
