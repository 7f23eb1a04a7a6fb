package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent in zone z1 with a zone-local backend and a fallback of the other zone's servers, on a real
 * HAProxy: traffic stays in the zone, moves to the fallback when the zone's servers die, and comes back.
 */
class ZoneFallbackIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    private static Set<String> answers(int port, int requests) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) seen.add(Http.get(port, "/k/" + i).trim());
        return seen;
    }

    @Test
    void localServersDownSendsTrafficToTheFallbackAndBackWhenTheyRecover() throws Exception {
        Origins local = Origins.start(dir.resolve("z1"), "l1", "l2");
        Origins remote = Origins.start(dir.resolve("z2"), "r1", "r2");
        running.add(remote);
        running.add(local);
        int frontend = Ports.free();
        Path home = Files.createDirectories(dir.resolve("hsdo"));
        Files.writeString(home.resolve("hsdo.yaml"), """
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends:
                  - {name: app, sources: [servers], zone: local, fallback: app-other,
                     health-check: {inter: 500ms, fastinter: 200ms, downinter: 500ms, fall: 2, rise: 2}}
                  - {name: app-other, sources: [servers], zone: other}
                sources: [{name: servers, type: file, path: servers.yaml}]
                admin: {bind: ""}
                fleet: {zone: z1}
                """.formatted(frontend));
        ServerFile.write(home.resolve("servers.yaml"), List.of(
                "address: 127.0.0.1, port: " + local.port("l1") + ", zone: z1",
                "address: 127.0.0.1, port: " + local.port("l2") + ", zone: z1",
                "address: 127.0.0.1, port: " + remote.port("r1") + ", zone: z2",
                "address: 127.0.0.1, port: " + remote.port("r2") + ", zone: z2"));
        Standalone hsdo = Standalone.start(ConfigLoader.load(home.resolve("hsdo.yaml"), Map.of()), Clock.systemUTC());
        running.add(hsdo);
        await().atMost(Duration.ofSeconds(10)).until(() -> hsdo.agent().status().converged()
                && hsdo.controller().current().backend("app").servers().size() == 4);

        var api = dev.hsdo.haproxy.SocketRuntimeApi.of(home.resolve("run/admin.sock").toString(), Duration.ofSeconds(2));
        running.add(api);
        assertThat(api.showServersState("app")).extracting(ServerStateRow::port)
                .containsExactlyInAnyOrder(local.port("l1"), local.port("l2"));
        assertThat(api.showServersState("app-other")).extracting(ServerStateRow::port)
                .containsExactlyInAnyOrder(remote.port("r1"), remote.port("r2"));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(answers(frontend, 100)).containsExactlyInAnyOrder("l1", "l2"));

        local.process().kill9();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .untilAsserted(() -> assertThat(answers(frontend, 100)).containsExactlyInAnyOrder("r1", "r2"));

        local.process().restart();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .untilAsserted(() -> assertThat(answers(frontend, 100)).containsExactlyInAnyOrder("l1", "l2"));
    }
}
