package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How hsdo takes over the HAProxy a previous hsdo left running: reloaded only for what servers cannot change. */
class AdoptionIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    private Path config(int frontend, String timeoutServer) throws Exception {
        Path c = dir.resolve("hsdo.yaml");
        Files.writeString(c, """
                haproxy: {runtime-dir: ./run, timeouts: {server: %s}}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends:
                  - {name: app, balance: uri, sources: [servers]}
                sources: [{name: servers, type: file, path: servers.yaml}]
                reconcile-interval: 1s
                admin: {bind: ""}
                """.formatted(timeoutServer, frontend));
        return c;
    }

    @Test
    void adoptedHaproxyIsReloadedHitlesslyWhenTheConfigBeyondServersChangedWhileHsdoWasDown() throws Exception {
        Origins origins = running.add(Origins.start(dir, "o1"));
        ServerFile.write(dir.resolve("servers.yaml"), List.of("name: o1, address: 127.0.0.1, port: " + origins.port("o1")));
        int frontend = Ports.free();
        LeftHaproxy haproxy = running.add(new LeftHaproxy(dir.resolve("run")));
        Standalone first = running.add(Standalone.start(ConfigLoader.load(config(frontend, "2s"), Map.of()), Clock.systemUTC()));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.agent().status().converged());
        long master = first.haproxy().pid();
        long worker = first.haproxy().workerPid();
        first.close();
        assertThat(haproxy.masterPid()).as("left serving").isEqualTo(master);

        Standalone second = running.add(Standalone.start(ConfigLoader.load(config(frontend, "3s"), Map.of()), Clock.systemUTC()));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.agent().status().converged());

        assertThat(second.haproxy().adopted()).isTrue();
        assertThat(second.haproxy().pid()).as("same master").isEqualTo(master);
        assertThat(second.haproxy().workerPid()).as("reloaded: a new worker runs the new timeout").isNotEqualTo(worker);
        assertThat(Files.readString(dir.resolve("run/haproxy.cfg"))).contains("timeout server 3s");
        assertThat(Http.get(frontend, "/after-reload")).isEqualTo("o1\n");
    }

    @Test
    void adoptedHaproxyWithTheSameConfigIsNotReloaded() throws Exception {
        Origins origins = running.add(Origins.start(dir, "o1"));
        ServerFile.write(dir.resolve("servers.yaml"), List.of("name: o1, address: 127.0.0.1, port: " + origins.port("o1")));
        int frontend = Ports.free();
        Path c = config(frontend, "2s");
        running.add(new LeftHaproxy(dir.resolve("run")));
        Standalone first = running.add(Standalone.start(ConfigLoader.load(c, Map.of()), Clock.systemUTC()));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.agent().status().converged());
        long worker = first.haproxy().workerPid();
        first.close();

        Standalone second = running.add(Standalone.start(ConfigLoader.load(c, Map.of()), Clock.systemUTC()));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.agent().status().converged());

        assertThat(second.haproxy().adopted()).isTrue();
        assertThat(second.haproxy().workerPid()).isEqualTo(worker);
    }
}
