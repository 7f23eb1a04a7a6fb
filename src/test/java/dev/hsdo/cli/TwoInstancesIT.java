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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two standalone hsdo instances that never talk to each other, each with its own HAProxy, given the same
 * servers in different order: they must send every key to the same server, before and after churn.
 */
class TwoInstancesIT {
    private static final int URIS = 1000;

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    record Instance(Standalone hsdo, int frontend, Path servers) {}

    private Instance start(String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        int frontend = Ports.free();
        Files.writeString(home.resolve("hsdo.yaml"), """
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: app}]
                backends: [{name: app, balance: uri, sources: [servers]}]
                sources: [{name: servers, type: file, path: servers.yaml}]
                reconcile-interval: 1s
                drain-period: 30s
                admin: {bind: ""}
                """.formatted(frontend));
        Path servers = home.resolve("servers.yaml");
        ServerFile.writeRaw(servers, "servers: []\n");
        Standalone s = Standalone.start(ConfigLoader.load(home.resolve("hsdo.yaml"), Map.of()), Clock.systemUTC());
        running.add(s);
        return new Instance(s, frontend, servers);
    }

    private static Map<String, String> routing(Instance i) {
        Map<String, String> owner = new LinkedHashMap<>();
        for (int k = 0; k < URIS; k++) {
            String path = "/obj/" + k;
            owner.put(path, Http.get(i.frontend(), path).trim());
        }
        return owner;
    }

    private static void write(Instance i, Origins o, List<String> names) {
        List<String> entries = new ArrayList<>();
        for (String n : names) entries.add("address: 127.0.0.1, port: " + o.port(n));
        ServerFile.write(i.servers(), entries);
    }

    private static void awaitServing(Instance i, int generationAtLeast) {
        await().atMost(Duration.ofSeconds(10)).until(() -> i.hsdo().agent().status().converged()
                && i.hsdo().agent().status().appliedGeneration() >= generationAtLeast);
    }

    @Test
    void sameServersInDifferentOrderRouteEveryKeyAlikeAndChurnMovesOnlyTheLeaversKeys() throws Exception {
        Origins origins = Origins.start(dir, "o1", "o2", "o3", "o4", "o5", "o6");
        running.add(origins);
        Instance a = start("a");
        Instance b = start("b");
        List<String> all = List.of("o1", "o2", "o3", "o4", "o5", "o6");
        List<String> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);

        write(a, origins, all);
        write(b, origins, reversed);
        awaitServing(a, 2);
        awaitServing(b, 2);
        Map<String, String> before = routing(a);
        assertThat(routing(b)).as("100%% agreement").isEqualTo(before);
        assertThat(before.values()).containsAll(all);

        List<String> without = new ArrayList<>(all);
        without.remove("o3");
        write(a, origins, without);
        write(b, origins, without.reversed());
        awaitServing(a, 3);
        awaitServing(b, 3);
        Map<String, String> after = routing(a);
        assertThat(routing(b)).isEqualTo(after);
        before.forEach((uri, owner) -> {
            if (owner.equals("o3")) assertThat(after.get(uri)).isNotEqualTo("o3");
            else assertThat(after.get(uri)).as("key %s stays on %s", uri, owner).isEqualTo(owner);
        });

        write(a, origins, all);
        write(b, origins, reversed);
        awaitServing(a, 4);
        awaitServing(b, 4);
        assertThat(routing(a)).as("every key back where it was").isEqualTo(before);
        assertThat(routing(b)).isEqualTo(before);
    }
}
