package dev.hsdo.haproxy;

import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class SocketRuntimeApiIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String SECTIONS = HaproxyFixture.HTTP_DEFAULTS + """
            frontend fe
              bind 127.0.0.1:${port:fe}
              use_backend %[req.cook(user),map(${dir}/shards.map,be)]
            backend be
              balance uri
              hash-type consistent
              server-template s 1-20 127.0.0.1:9 weight 1
            """;

    @TempDir
    Path dir;
    HaproxyFixture hap;
    SocketRuntimeApi api;

    @BeforeEach
    void startHaproxy() throws IOException {
        Files.writeString(dir.resolve("shards.map"), "alice be\ndave shard two\n");
        hap = HaproxyFixture.start(dir, SECTIONS);
    }

    @AfterEach
    void stopHaproxy() {
        if (api != null) api.close();
        hap.close();
    }

    private String address(String kind) {
        return kind.equals("unix") ? "unix@" + hap.adminSocket() : "ipv4@127.0.0.1:" + hap.statsTcpPort();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void twoThousandPipelinedCommandsEachGetTheirOwnReply(String kind) throws Exception {
        api = SocketRuntimeApi.connect(address(kind), TIMEOUT);
        // Every 'get weight' must report the weight its preceding 'set' just gave: a reply shifted by one
        // position would show another server's or another round's weight.
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String server = "be/s" + (i % 20 + 1);
            batch.add("set server " + server + " weight " + (i % 250 + 1));
            batch.add("get weight " + server);
        }
        List<Reply> replies = null;
        for (String round : List.of("cold", "warm", "warm")) {
            long start = System.nanoTime();
            replies = api.execute(batch);
            System.out.printf("%s, %s JVM: %d pipelined commands in %.1f ms%n", kind, round, batch.size(), (System.nanoTime() - start) / 1e6);
        }

        assertThat(replies).hasSize(2000).allMatch(Reply::ok);
        for (int i = 0; i < 1000; i++) {
            assertThat(replies.get(2 * i).command()).isEqualTo(batch.get(2 * i));
            assertThat(replies.get(2 * i).output()).isEmpty();
            assertThat(replies.get(2 * i + 1).output()).isEqualTo((i % 250 + 1) + " (initial 1)\n");
        }
        assertThat(hap.cli("get weight be/s20")).isEqualTo((999 % 250 + 1) + " (initial 1)\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void batchLargerThanTheSocketBuffersDoesNotDeadlock(String kind) throws Exception {
        // Measured: a client that writes these 360 KB before reading blocks forever, as HAProxy stops reading
        // commands while its replies pile up unread. (2000 commands, 36 KB, still fit in the buffers.)
        api = SocketRuntimeApi.connect(address(kind), TIMEOUT);
        api.execute(List.of("set server be/s7 weight 77"));
        List<String> batch = Collections.nCopies(20_000, "get weight be/s7");
        long start = System.nanoTime();
        List<Reply> replies = api.execute(batch);
        System.out.printf("%s: %d pipelined commands in %.1f ms%n", kind, batch.size(), (System.nanoTime() - start) / 1e6);
        assertThat(replies).hasSize(20_000).allMatch(r -> r.ok() && r.output().equals("77 (initial 1)\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void refusedCommandIsReportedInPlaceWhileTheRestOfTheBatchRuns(String kind) throws Exception {
        api = SocketRuntimeApi.connect(address(kind), TIMEOUT);
        List<Reply> replies = api.execute(List.of(
                "set server be/s1 state drain",
                "set server be/nosuch state ready",
                "set server be/s2 weight 300",
                "add server be/d1 127.0.0.1:9 id 500 weight 5",
                "show servers state be",
                "set server be/s3 state maint"));

        assertThat(replies).extracting(Reply::ok).containsExactly(true, false, false, true, true, true);
        assertThat(replies.get(1).command()).isEqualTo("set server be/nosuch state ready");
        assertThat(replies.get(1).error()).isEqualTo("No such server.");
        assertThat(replies.get(2).error()).isEqualTo("Absolute weight can only be between 0 and 256 inclusive.");
        assertThat(replies.get(3).output()).isEqualTo("New server registered.\n");
        assertThat(replies.get(4).output()).startsWith("1\n# be_id").contains(" be 500 d1 127.0.0.1 ");
        String state = hap.cli("show servers state be");
        assertThat(state).contains(" be 1 s1 127.0.0.1 2 8 ", " be 3 s3 127.0.0.1 0 1 ");
    }

    @Test
    void callThrowsWithTheCommandAndHaproxysAnswer() throws Exception {
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        assertThatThrownBy(() -> api.call("del server be/nosuch"))
                .isInstanceOf(RuntimeApiException.class)
                .hasMessage("del server be/nosuch: No such server.");
        assertThat(api.call("show version").strip()).isEqualTo(HaproxyFixture.installedVersion());
    }

    @Test
    void unsafeCommandIsRefusedBeforeAnythingOfTheBatchIsSent() throws Exception {
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        assertThatThrownBy(() -> api.execute(List.of("set server be/s1 weight 7", "set server be/s2 weight 9;set server be/s3 weight 9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("';'");
        assertThatThrownBy(() -> api.execute(List.of("set server be/s1 weight 7", "set server be/s2 weight 9\nset server be/s3 weight 9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThat(hap.cli("get weight be/s1")).isEqualTo("1 (initial 1)\n");
        assertThat(hap.cli("get weight be/s3")).isEqualTo("1 (initial 1)\n");
        assertThat(api.execute(List.of("get weight be/s2")).getFirst().output()).isEqualTo("1 (initial 1)\n");
    }

    @Test
    void failsWhileHaproxyIsDownAndReconnectsOnceItIsBack() throws Exception {
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        String firstPid = api.showInfo().get("Pid");
        hap.kill9();
        assertThatThrownBy(() -> api.call("show info"))
                .isInstanceOf(RuntimeApiException.class)
                .hasMessageContaining("unix@" + hap.adminSocket());
        hap.restart();
        assertThat(api.showInfo().get("Pid")).isEqualTo(String.valueOf(hap.pid())).isNotEqualTo(firstPid);
    }

    @Test
    void connectionLostWhileIdleIsReplacedBeforeTheNextBatch() throws Exception {
        api = SocketRuntimeApi.connect(address("tcp"), TIMEOUT);
        api.call("show info");
        hap.restart();
        assertThat(api.showInfo().get("Pid")).isEqualTo(String.valueOf(hap.pid()));
    }

    @Test
    void sessionClosedByHaproxyWhileIdleIsReplacedBeforeTheNextBatch() throws Exception {
        // What a 'stats timeout' does to an idle session (on 2.6 only sometimes), made deterministic.
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        api.call("set server be/s1 weight 2");
        List<String> ours = unixCliSessions();
        assertThat(ours).hasSize(1);
        hap.cli("shutdown session " + ours.getFirst().substring(0, ours.getFirst().indexOf(':')));
        await().atMost(Duration.ofSeconds(5)).until(() -> unixCliSessions().isEmpty());
        assertThat(api.call("get weight be/s1")).isEqualTo("2 (initial 1)\n");
    }

    @Test
    void batchAfterAMasterWorkerReloadReachesTheNewWorker() throws Exception {
        hap.close();
        hap = HaproxyFixture.builder(dir).masterWorker().global("hard-stop-after 30s").sections(SECTIONS).start();
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        String oldWorker = api.showInfo().get("Pid");
        hap.masterCli("reload");
        await().atMost(Duration.ofSeconds(5)).until(() -> !pidOf(hap.cli("show info")).equals(oldWorker));
        String newWorker = pidOf(hap.cli("show info"));
        // Without the check the open session would still answer from the old worker with "Stopping: 1".
        assertThat(api.showInfo()).containsEntry("Pid", newWorker).containsEntry("Stopping", "0");
        api.call("set server be/s5 weight 5");
        assertThat(hap.cli("get weight be/s5")).isEqualTo("5 (initial 1)\n");
    }

    /** 'show sess' lines of CLI sessions on the unix socket: the client's only, as the checks come over TCP. */
    private List<String> unixCliSessions() {
        return hap.cli("show sess").lines().filter(l -> l.contains("proto=unix_stream") && l.contains(" fe=GLOBAL ")).toList();
    }

    @Test
    void closeThenCallOpensANewConnection() throws Exception {
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        api.call("set server be/s4 weight 4");
        api.close();
        assertThat(api.call("get weight be/s4")).isEqualTo("4 (initial 1)\n");
    }

    @Test
    void lazyClientConnectsOnFirstCall() throws Exception {
        api = SocketRuntimeApi.of(address("tcp"), TIMEOUT);
        assertThat(api.call("show cli level")).isEqualTo("admin\n");
    }

    @Test
    void silentPeerTimesOutWithinTheBound() throws IOException {
        // The kernel completes the handshake from the backlog; nothing ever answers 'prompt'.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Duration timeout = Duration.ofMillis(300);
            long start = System.nanoTime();
            assertThatThrownBy(() -> SocketRuntimeApi.connect("127.0.0.1:" + silent.getLocalPort(), timeout))
                    .isInstanceOf(RuntimeApiException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort())
                    .hasMessageContaining("timed out");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(timeout, timeout.plusSeconds(1));
        }
    }

    @Test
    void unreachableSocketsFailNamingTheAddress() {
        int closedPort = Ports.free();
        assertThatThrownBy(() -> SocketRuntimeApi.connect("127.0.0.1:" + closedPort, TIMEOUT))
                .isInstanceOf(RuntimeApiException.class).hasMessageContaining("127.0.0.1:" + closedPort);
        Path missing = dir.resolve("nosuch.sock");
        assertThatThrownBy(() -> SocketRuntimeApi.connect(missing.toString(), TIMEOUT))
                .isInstanceOf(RuntimeApiException.class).hasMessageContaining("unix@" + missing);
    }

    @Test
    void concurrentBatchesDoNotInterleave() throws Exception {
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 1; t <= 8; t++) {
                String server = "be/s" + t;
                int weight = 10 * t;
                Callable<Boolean> task = () -> {
                    for (int round = 0; round < 20; round++) {
                        List<Reply> r = api.execute(List.of("set server " + server + " weight " + weight, "get weight " + server));
                        if (!r.get(1).output().equals(weight + " (initial 1)\n")) return false;
                    }
                    return true;
                };
                results.add(pool.submit(task));
            }
            for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        }
    }

    private static String pidOf(String showInfo) {
        return InfoParser.parse(showInfo).get("Pid");
    }

    @Test
    void typedShowCommandsParseLiveOutput() throws Exception {
        api = SocketRuntimeApi.connect(address("tcp"), TIMEOUT);
        api.execute(List.of("set server be/s2 state drain", "set server be/s3 state maint", "set server be/s4 weight 9"));
        List<ServerStateRow> servers = api.showServersState("be");
        assertThat(servers).hasSize(20);
        assertThat(servers.get(1).isDrain()).isTrue();
        assertThat(servers.get(2).isMaint()).isTrue();
        assertThat(servers.get(3).userWeight()).isEqualTo(9);
        assertThat(servers.get(0).isReady()).isTrue();
        assertThat(api.showServersState()).hasSize(20);
        assertThat(api.showStat()).filteredOn(r -> r.proxy().equals("be") && r.service().equals("s2"))
                .singleElement().extracting(StatRow::status).isEqualTo("DRAIN");
        assertThat(api.showInfo()).containsEntry("Name", "HAProxy");
        assertThatThrownBy(() -> api.showServersState("nosuch"))
                .isInstanceOf(RuntimeApiException.class).hasMessage("show servers state nosuch: Can't find backend.");
        assertThatThrownBy(() -> api.showServersState("be x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapIsReplacedAtomicallyAndReadBack() throws Exception {
        api = SocketRuntimeApi.connect(address("unix"), TIMEOUT);
        String map = dir.resolve("shards.map").toString();
        assertThat(api.showMap(map)).extracting(MapEntry::key, MapEntry::value)
                .containsExactly(tuple("alice", "be"), tuple("dave", "shard two"));
        String created = api.call("prepare map " + map);
        assertThat(created).matches("New version created: \\d+\n");
        String version = created.strip().substring("New version created: ".length());
        List<Reply> replies = api.execute(List.of(
                "add map @" + version + " " + map + " bob shard-1",
                "add map @" + version + " " + map + " carol shard-2",
                "set map " + map + " nobody shard-3",
                "commit map @" + version + " " + map));
        assertThat(replies).extracting(Reply::ok).containsExactly(true, true, false, true);
        assertThat(replies.get(2).error()).isEqualTo("entry not found.");
        assertThat(api.showMap(map)).extracting(MapEntry::key).containsExactly("bob", "carol");
    }
}
