package dev.hsdo.discovery.file;

import dev.hsdo.model.Endpoint;
import dev.hsdo.model.SourceSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FileSourceTest {
    private static final Duration BOUND = Duration.ofSeconds(3);
    private static final Duration NEVER = Duration.ofHours(1);
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String TWO = """
            servers:
              - {address: 127.0.0.1, port: 8081, name: web1}
              - {address: 127.0.0.1, port: 8082}
            """;
    private static final List<Endpoint> TWO_ENDPOINTS = List.of(
            new Endpoint("web1", "127.0.0.1", 8081, null, null, Map.of()), Endpoint.of("127.0.0.1", 8082));

    @TempDir
    Path dir;
    private final List<SourceSnapshot> seen = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(T0);
    private FileSource source;

    @AfterEach
    void closeSource() {
        if (source != null) source.close();
    }

    private Path file() {
        return dir.resolve("servers.yaml");
    }

    private FileSource start(Path file, Duration pollInterval) {
        source = new FileSource("servers", file, pollInterval, clock);
        source.start(seen::add);
        return source;
    }

    /** Writes the file the way careful tools do: a temporary file renamed over the old one. */
    private void replace(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private SourceSnapshot last() {
        return seen.get(seen.size() - 1);
    }

    @Test
    void firstSnapshotIsDeliveredBeforeStartReturns() throws Exception {
        Files.writeString(file(), TWO);

        start(file(), FileSource.DEFAULT_POLL_INTERVAL);

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).isEqualTo(SourceSnapshot.ok("servers", TWO_ENDPOINTS, List.of(), T0));
        assertThat(source.current()).isEqualTo(seen.get(0));
    }

    @Test
    void missingFileAtStartIsAnErrorWithoutEndpoints() {
        start(file(), FileSource.DEFAULT_POLL_INTERVAL);

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).endpoints()).isEmpty();
        assertThat(seen.get(0).error()).isEqualTo(file() + ": file not found");
    }

    @Test
    void inPlaceEditIsSeenByWatchingAlone() throws Exception {
        Files.writeString(file(), TWO);
        start(file(), NEVER);

        Files.writeString(file(), "servers:\n  - {address: 127.0.0.1, port: 9000}\n");

        await().atMost(BOUND).until(() -> last().endpoints().equals(List.of(Endpoint.of("127.0.0.1", 9000))));
    }

    @Test
    void replaceByRenameIsSeenByWatchingAlone() throws Exception {
        Files.writeString(file(), TWO);
        start(file(), NEVER);

        replace(file(), "servers:\n  - {address: 127.0.0.1, port: 9001}\n");

        await().atMost(BOUND).until(() -> last().endpoints().equals(List.of(Endpoint.of("127.0.0.1", 9001))));
        assertThat(last().healthy()).isTrue();
    }

    @Test
    void fileInADirectoryCreatedLaterIsFoundByPolling() throws Exception {
        Path file = dir.resolve("later/servers.yaml");
        start(file, Duration.ofMillis(200));
        assertThat(seen.get(0).error()).isEqualTo(file + ": file not found");

        Files.createDirectories(file.getParent());
        replace(file, TWO);

        await().atMost(BOUND).until(() -> last().healthy() && last().endpoints().equals(TWO_ENDPOINTS));
    }

    @Test
    void invalidYamlKeepsTheLastGoodEndpointsAndNamesFileAndLine() throws Exception {
        Files.writeString(file(), TWO);
        start(file(), FileSource.DEFAULT_POLL_INTERVAL);

        replace(file(), "servers:\n  - {address: 127.0.0.1, port: 8081\n  - {address: 127.0.0.1, port: 8082}\n");

        await().atMost(BOUND).until(() -> !last().healthy());
        assertThat(last().error()).startsWith(file() + ": line 3, column ");
        assertThat(last().endpoints()).isEqualTo(TWO_ENDPOINTS);
        assertThat(last().readAt()).isEqualTo(T0);
    }

    @Test
    void deletedFileKeepsTheLastGoodEndpointsAndRestoringItClearsTheError() throws Exception {
        Files.writeString(file(), TWO);
        start(file(), FileSource.DEFAULT_POLL_INTERVAL);

        Files.delete(file());
        await().atMost(BOUND).until(() -> !last().healthy());
        assertThat(last().error()).isEqualTo(file() + ": file not found");
        assertThat(last().endpoints()).isEqualTo(TWO_ENDPOINTS);

        clock.set(T0.plusSeconds(5));
        replace(file(), TWO);
        await().atMost(BOUND).until(() -> last().healthy());
        assertThat(last()).isEqualTo(SourceSnapshot.ok("servers", TWO_ENDPOINTS, List.of(), T0.plusSeconds(5)));
        assertThat(seen).hasSize(3);
    }

    @Test
    void invalidEntriesAreRejectedWhileValidOnesPass() throws Exception {
        Files.writeString(file(), """
                servers:
                  - {address: 127.0.0.1, port: 8081, name: good}
                  - {address: 127.0.0.1, port: 8082, name: "a;shutdown sessions"}
                  - {address: 127.0.0.1, port: 8083, name: "a\\nb"}
                  - {address: "1.2.3.4 backup", port: 8084}
                  - {address: 127.0.0.1, port: 8085, meta: {role: "x y"}}
                  - {address: 127.0.0.1, port: 8086, meta: {role: "x;y"}}
                """);

        start(file(), FileSource.DEFAULT_POLL_INTERVAL);

        SourceSnapshot s = seen.get(0);
        assertThat(s.healthy()).isTrue();
        assertThat(s.endpoints()).containsExactly(new Endpoint("good", "127.0.0.1", 8081, null, null, Map.of()));
        assertThat(s.rejected()).containsExactly(
                file() + ": servers[1]: name: invalid value 'a;shutdown sessions' (letters, digits, '-', '_', '.', ':', at most 64)",
                file() + ": servers[2]: name: invalid value 'a\\nb' (letters, digits, '-', '_', '.', ':', at most 64)",
                file() + ": servers[3]: address: invalid value '1.2.3.4 backup' (an IPv4 or IPv6 literal)",
                file() + ": servers[4]: meta[role]: invalid value 'x y' (printable, no space, ';', '#', quotes)",
                file() + ": servers[5]: meta[role]: invalid value 'x;y' (printable, no space, ';', '#', quotes)");
    }

    @Test
    void jsonFileIsRead() throws Exception {
        Path file = dir.resolve("servers.json");
        Files.writeString(file, "{\"servers\": [{\"address\": \"127.0.0.1\", \"port\": 8081, \"name\": \"web1\"},\n"
                + "\t{\"address\": \"127.0.0.1\", \"port\": 8082}]}");

        start(file, FileSource.DEFAULT_POLL_INTERVAL);

        assertThat(seen.get(0).endpoints()).isEqualTo(TWO_ENDPOINTS);
    }

    @Test
    void rewriteWithTheSameEndpointsIsNotReportedButUpdatesReadAt() throws Exception {
        Files.writeString(file(), TWO);
        start(file(), Duration.ofMillis(100));

        clock.set(T0.plusSeconds(1));
        replace(file(), "# reordered keys, same servers\n" + TWO.replace("{address: 127.0.0.1, port: 8082}", "{port: 8082, address: 127.0.0.1}"));
        await().atMost(BOUND).until(() -> source.current().readAt().equals(T0.plusSeconds(1)));

        clock.set(T0.plusSeconds(2));
        Files.setLastModifiedTime(file(), FileTime.from(T0));
        await().atMost(BOUND).until(() -> source.current().readAt().equals(T0.plusSeconds(2)));

        assertThat(seen).hasSize(1);
    }

    @Test
    void closeStopsTheSourcesDaemonThreads() throws Exception {
        Files.writeString(file(), TWO);
        start(file(), FileSource.DEFAULT_POLL_INTERVAL);
        assertThat(threads()).isNotEmpty().allMatch(Thread::isDaemon);

        source.close();

        await().atMost(BOUND).until(() -> threads().isEmpty());
    }

    private static List<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("hsdo-file-source-servers-") && t.isAlive()).toList();
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
