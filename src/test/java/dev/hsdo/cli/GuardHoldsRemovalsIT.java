package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.SocketRuntimeApi;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** While the mass-removal guard holds a backend on a real HAProxy, only the removals wait (fake clock for the drain). */
class GuardHoldsRemovalsIT {
    private static final Duration CONVERGE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Origins origins;
    Standalone hsdo;
    RuntimeApi api;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @AfterEach
    void stop() {
        if (api != null) api.close();
        if (hsdo != null) hsdo.close();
        if (origins != null) origins.close();
    }

    private Map<String, ServerStateRow> state() throws Exception {
        return api.showServersState("app").stream().collect(Collectors.toMap(ServerStateRow::serverName, r -> r));
    }

    private List<String> entries(String... names) {
        return Stream.of(names).map(n -> "name: " + n + ", address: 127.0.0.1, port: " + origins.port(n)).toList();
    }

    @Test
    void whileHeldAnAddedServerServesAndAnExpiredDrainIsDeleted() throws Exception {
        origins = Origins.start(dir, "o1", "o2", "o3", "o4", "o5", "o6");
        int frontend = Ports.free();
        Path servers = dir.resolve("servers.yaml");
        ServerFile.write(servers, entries("o1", "o2", "o3", "o4", "o5"));
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
                drain-period: 10s
                guard: {max-removal-fraction: 0.5}
                admin: {bind: ""}
                store: {type: file, path: ./state/plan.json}
                """.formatted(frontend));
        hsdo = Standalone.start(ConfigLoader.load(dir.resolve("hsdo.yaml"), Map.of()), clock);
        api = SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(5));
        await().atMost(CONVERGE).until(() -> hsdo.agent().status().converged() && state().size() == 5);

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
            for (int i = 0; i < 40; i++) answers.add(Http.get(frontend, "/key/" + i).trim());
            return answers.contains("o6");
        });
        assertThat(answers).doesNotContain("o5");
    }
}
