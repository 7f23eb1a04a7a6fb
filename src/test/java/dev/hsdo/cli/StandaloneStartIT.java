package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.store.PlanJson;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Standalone start-up: what the sources publish while HAProxy starts is not lost. */
class StandaloneStartIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    @Test
    void aPlanPublishedWhileHaproxyStartsReachesTheAgentAtOnce() throws Exception {
        Origins origins = running.add(Origins.start(dir, "o1", "o2"));
        // HAProxy that waits for the test before it starts (its config checks pass straight through): the
        // test changes the sources while hsdo is starting it, after the first plan was published.
        Path launching = dir.resolve("launching");
        Path go = dir.resolve("go");
        Path binary = dir.resolve("held-haproxy");
        Files.writeString(binary, """
                #!/bin/sh
                case " $* " in *" -W "*)
                  touch '%s'
                  i=0; while [ ! -e '%s' ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done;;
                esac
                exec haproxy "$@"
                """.formatted(launching, go));
        binary.toFile().setExecutable(true);
        int frontend = Ports.free();
        Path config = StandaloneYaml.write(dir, frontend, ", binary: \"" + binary + "\", stop-with-hsdo: true");
        servers(origins, "o1");

        CompletableFuture<Standalone> starting = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                starting.complete(Standalone.start(ConfigLoader.load(config, Map.of()), Clock.systemUTC()));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(launching) || starting.isDone());
        servers(origins, "o1", "o2");
        await().atMost(Duration.ofSeconds(10)).until(() -> storedServers(dir.resolve("state/plan.json")) == 2);
        Files.writeString(go, "");
        Standalone hsdo = running.add(starting.get(30, TimeUnit.SECONDS));

        // Without a later change to wake it, an agent that missed the plan would stay on the first one.
        assertThat(hsdo.agent().desired().generation()).as("the agent works towards the plan in force")
                .isEqualTo(hsdo.controller().current().generation());
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> IntStream.range(0, 30)
                .mapToObj(i -> Http.get(frontend, "/k/" + i).strip()).collect(Collectors.toSet()).equals(Set.of("o1", "o2")));
    }

    private void servers(Origins origins, String... names) {
        ServerFile.write(dir.resolve("servers.yaml"),
                java.util.Arrays.stream(names).map(n -> "name: " + n + ", address: 127.0.0.1, port: " + origins.port(n)).toList());
    }

    private static int storedServers(Path store) throws IOException {
        if (!Files.exists(store)) return 0;
        try {
            Plan plan = PlanJson.read(Files.readString(store), store.toString());
            BackendPlan app = plan.backend("app");
            return app == null ? 0 : app.servers().size();
        } catch (dev.hsdo.store.StoreException e) {
            return 0;
        }
    }
}
