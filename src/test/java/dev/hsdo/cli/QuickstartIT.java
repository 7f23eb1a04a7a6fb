package dev.hsdo.cli;

import dev.hsdo.testing.Http;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's first command, as a new user runs it: {@code ./hsdo quickstart}, then Ctrl-C (SIGTERM). */
class QuickstartIT {
    @TempDir
    Path dir;
    Process process;

    @AfterEach
    void kill() throws Exception {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void quickstartServesTheDemoFollowsTheServersFileAndStopsEverythingOnSigterm() throws Exception {
        Path repo = Path.of(System.getProperty("hsdo.repo", "."));
        int port = Ports.free();
        process = new ProcessBuilder(repo.resolve("hsdo").toString(), "quickstart", "--dir", dir.toString(),
                "--frontend-port", String.valueOf(port))
                .redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        Map<String, String> printed = new LinkedHashMap<>();
        StringBuilder output = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!printed.containsKey("servers file") && System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l == null) {
                assertThat(process.isAlive()).as("quickstart exited early:\n%s", output).isTrue();
                continue;
            }
            output.append(l).append('\n');
            for (String key : List.of("frontend", "admin", "servers file"))
                if (l.startsWith(key + ": ")) printed.put(key, l.substring(key.length() + 2));
        }
        assertThat(printed).as(output.toString()).containsKeys("frontend", "admin", "servers file");
        assertThat(printed.get("frontend")).isEqualTo("http://127.0.0.1:" + port);
        Path servers = Path.of(printed.get("servers file"));
        assertThat(servers).startsWith(dir);

        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 50; i++) answers.add(Http.get(port, "/k/" + i).trim());
        assertThat(answers).containsExactlyInAnyOrder("origin-1", "origin-2", "origin-3");

        // Keep only origin-2: removing 2 of 3 exceeds the default guard, so remove one at a time.
        List<String> entries = Files.readAllLines(servers).stream().filter(l -> l.startsWith("  - ")).toList();
        ServerFile.writeRaw(servers, "servers:\n" + entries.get(1) + "\n" + entries.get(2) + "\n");
        await().atMost(Duration.ofSeconds(3)).until(() -> !routes(port).contains("origin-1"));
        ServerFile.writeRaw(servers, "servers:\n" + entries.get(1) + "\n");
        await().atMost(Duration.ofSeconds(3)).until(() -> routes(port).equals(Set.of("origin-2")));

        List<ProcessHandle> children = process.descendants().toList();
        assertThat(children).as("HAProxy runs under hsdo").isNotEmpty();
        process.destroy(); // SIGTERM, as Ctrl-C would
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("quickstart stops on SIGTERM").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(Http.canConnect(port)).as("frontend closed").isFalse();
    }

    private static Set<String> routes(int port) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) seen.add(Http.get(port, "/k/" + i).trim());
        return seen;
    }
}
