package dev.hsdo.cli;

import dev.hsdo.agent.ActiveServer;
import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.PeerConfig;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.haproxy.StickEntry;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code hsdo run} instances, each with its own HAProxy, sharing one active/backup tcp backend through
 * static peers: they agree on the active server, fail over together, never fail back, and a restarted
 * HAProxy or hsdo, and a peer joining or leaving, keep the fleet's choice. Real HAProxy; the servers are tiny
 * origins (one process each, so each can be killed) that answer their name; every request is a new connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActiveBackupIT {
    private static final Duration FAILOVER = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private final Map<String, Origins> origins = new LinkedHashMap<>();
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Map<String, Integer> peerPorts = new LinkedHashMap<>();

    /** The backend's mode: tcp here, http in {@link HttpActiveBackupIT}. */
    protected String mode() {
        return "tcp";
    }

    /** One hsdo with its HAProxy. */
    private record Instance(String name, Path yaml, int frontend, Standalone hsdo) {}

    @BeforeAll
    void startFleet() throws Exception {
        for (String n : List.of("n1", "n2", "n3")) origins.put(n, Origins.start(Files.createDirectories(dir.resolve(n)), n));
        List<String> entries = new ArrayList<>();
        int priority = 10;
        for (var e : origins.entrySet()) {
            entries.add("name: " + e.getKey() + ", address: 127.0.0.1, port: " + e.getValue().port(e.getKey())
                    + ", meta: {hsdo.priority: '" + priority + "'}");
            priority += 10;
        }
        ServerFile.write(dir.resolve("servers.yaml"), entries);
        for (String p : List.of("hp-a", "hp-b", "hp-c")) peerPorts.put(p, Ports.free());
        start("hp-a", List.of("hp-b"));
        start("hp-b", List.of("hp-a"));
    }

    @AfterAll
    void stopFleet() {
        for (Instance i : instances.values()) {
            i.hsdo().haproxy().stop();
            i.hsdo().close();
        }
        origins.values().forEach(Origins::close);
    }

    private Instance start(String name, List<String> others) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path yaml = home.resolve("hsdo.yaml");
        if (!Files.exists(yaml)) {
            StringBuilder statics = new StringBuilder();
            for (String o : others) statics.append("    - {name: ").append(o).append(", address: 127.0.0.1:").append(peerPorts.get(o)).append("}\n");
            Files.writeString(yaml, """
                    haproxy: {runtime-dir: ./run}
                    peers:
                      local-name: %s
                      bind: 127.0.0.1:%d
                      static:
                    %s
                    frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: db}]
                    backends:
                      - name: db
                        mode: %s
                        active-backup: true
                        sources: [servers]
                        health-check: {inter: 300ms, fastinter: 200ms, downinter: 300ms, rise: 2, fall: 2}
                    sources: [{name: servers, type: file, path: ../servers.yaml}]
                    reconcile-interval: 300ms
                    admin: {bind: ""}
                    """.formatted(name, peerPorts.get(name), statics.toString().stripTrailing(), Ports.free(), mode()));
        }
        var config = ConfigLoader.load(yaml, Map.of());
        Standalone s = Standalone.start(config, Clock.systemUTC());
        int frontend = Integer.parseInt(config.frontends().getFirst().bind().split(":")[1]);
        Instance i = new Instance(name, yaml, frontend, s);
        instances.put(name, i);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.agent().status().converged());
        return i;
    }

    private static String route(Instance i) {
        return route(i.frontend());
    }

    /** The name the origin answers on a new connection to {@code port}, or an error word. */
    static String route(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (!reply.startsWith("HTTP/1.")) return "no-answer";
            String[] lines = reply.strip().split("\r?\n");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            return "error";
        }
    }

    private String cli(Instance i, String command) {
        try (var api = SocketRuntimeApi.of(i.hsdo().haproxy().paths().adminSocket().toString(), Duration.ofSeconds(2))) {
            return api.call(command);
        } catch (Exception e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        }
    }

    private List<StickEntry> table(Instance i) {
        try (var api = SocketRuntimeApi.of(i.hsdo().haproxy().paths().adminSocket().toString(), Duration.ofSeconds(2))) {
            return api.showTable("db");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String stuck(Instance i) {
        List<StickEntry> t = table(i);
        return t.isEmpty() ? null : t.getFirst().serverKey();
    }

    private void awaitAllUp(Instance i) {
        await().atMost(Duration.ofSeconds(10)).until(() -> cli(i, "show servers state db").lines()
                .filter(l -> l.matches("\\d+ db .*")).filter(l -> l.split(" ")[5].equals("2")).count() == 3);
    }

    /** Every origin up and seen up, and no stick entry anywhere: the fleet starts from its first pick. */
    @BeforeEach
    void freshFleet() {
        origins.forEach((n, o) -> {
            if (!o.process().isAlive()) o.process().restart();
        });
        instances.values().forEach(this::awaitAllUp);
        instances.values().forEach(i -> cli(i, "clear table db"));
        instances.values().forEach(i -> assertThat(table(i)).isEmpty());
    }

    private Instance a() {
        return instances.get("hp-a");
    }

    private Instance b() {
        return instances.get("hp-b");
    }

    /** Kills the active n1 and waits until both instances agree on one backup; returns it. */
    private String failOver() {
        assertThat(route(a())).isEqualTo("n1");
        assertThat(route(b())).isEqualTo("n1");
        long t0 = System.nanoTime();
        origins.get("n1").process().kill9();
        String[] moved = new String[1];
        await().atMost(FAILOVER).pollInterval(Duration.ofMillis(50)).until(() -> {
            String ra = route(a()), rb = route(b());
            moved[0] = ra;
            return ra.equals(rb) && (ra.equals("n2") || ra.equals("n3"));
        });
        System.out.printf("ActiveBackupIT: both HAProxies moved to %s %d ms after n1 was killed%n", moved[0],
                (System.nanoTime() - t0) / 1_000_000);
        return moved[0];
    }

    /** {@link #failOver}, then n1 back up and seen up everywhere; returns the backup both moved to. */
    private String failOverAndBringTheFirstBack() {
        String backup = failOver();
        origins.get("n1").process().restart();
        instances.values().forEach(this::awaitAllUp);
        return backup;
    }

    @Test
    void bothInstancesSendNewConnectionsToTheLowestPriorityServerAndTheTablesAgree() {
        for (int k = 0; k < 10; k++) {
            assertThat(route(a())).isEqualTo("n1");
            assertThat(route(b())).isEqualTo("n1");
        }
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(table(a())).extracting(StickEntry::serverKey).containsExactly("n1");
            assertThat(table(b())).extracting(StickEntry::serverKey).containsExactly("n1");
        });
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(a().hsdo().agent().activeBackup())
                .containsExactly(new ActiveServer("db", "n1", a().hsdo().plan().backend("db").server("n1").id())));
        assertThat(a().hsdo().status()).containsKeys("activeBackup", "peers");
    }

    @Test
    void killingTheActiveServerMovesBothToTheSameBackupAndItsReturnTakesNothingBack() {
        String backup = failOverAndBringTheFirstBack();
        for (int k = 0; k < 20; k++) {
            assertThat(route(a())).isEqualTo(backup);
            assertThat(route(b())).isEqualTo(backup);
        }
        assertThat(stuck(a())).isEqualTo(backup);
        assertThat(stuck(b())).isEqualTo(backup);
    }

    @Test
    void aRestartedHaproxyAdoptsTheFleetsActiveServerNotTheFirstListed() {
        String backup = failOverAndBringTheFirstBack();
        Instance a = a();
        int before = a.hsdo().haproxy().generation();
        ProcessHandle.of(a.hsdo().haproxy().pid()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(15)).until(() -> a.hsdo().haproxy().generation() > before
                && a.hsdo().agent().status().converged());
        awaitAllUp(a);
        assertThat(stuck(a)).isEqualTo(backup);
        for (int k = 0; k < 10; k++) assertThat(route(a)).isEqualTo(backup);
        assertThat(stuck(b())).isEqualTo(backup);
    }

    @Test
    void aHaproxyRestartedUnderTrafficSendsNoConnectionToItsOwnFirstPick() throws Exception {
        String backup = failOverAndBringTheFirstBack();
        Instance a = a();
        int before = a.hsdo().haproxy().generation();
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        // Four clients, paced, from before the kill until after the restarted HAProxy converged: a new worker
        // with an empty table would send some of them to n1, its own first pick, and push n1 to the fleet.
        List<Thread> clients = new ArrayList<>();
        int killedAt = -1;
        for (int c = 0; c < 4; c++)
            clients.add(Thread.ofPlatform().start(() -> {
                for (int k = 0; k < 20_000 && running.get(); k++) {
                    answers.add(route(a));
                    LockSupport.parkNanos(2_000_000);
                }
            }));
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> answers.size() > 20);
            killedAt = answers.size();
            ProcessHandle.of(a.hsdo().haproxy().pid()).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(15)).until(() -> a.hsdo().haproxy().generation() > before
                    && a.hsdo().agent().status().converged());
            int seen = answers.size();
            await().atMost(Duration.ofSeconds(5)).until(() -> answers.size() > seen + 100);
        } finally {
            running.set(false);
            for (Thread t : clients) t.join(10_000);
        }
        StringBuilder runs = new StringBuilder();
        synchronized (answers) {
            for (int i = 0; i < answers.size(); ) {
                int j = i;
                while (j < answers.size() && answers.get(j).equals(answers.get(i))) j++;
                runs.append(answers.get(i)).append('x').append(j - i).append(' ');
                i = j;
            }
        }
        assertThat(answers).as("answered by the fleet's active server or not at all while HAProxy was down: %s (kill after %d)", runs, killedAt)
                .contains(backup).doesNotContain("n1");
        assertThat(stuck(a)).isEqualTo(backup);
        assertThat(stuck(b())).isEqualTo(backup);
    }

    @Test
    void aRestartedHsdoAdoptsItsRunningHaproxyAndKeepsTheActiveServer() throws Exception {
        String backup = failOverAndBringTheFirstBack();
        Instance b = b();
        long pid = b.hsdo().haproxy().pid();
        b.hsdo().close();
        instances.remove("hp-b");
        Instance again = start("hp-b", List.of());
        assertThat(again.hsdo().haproxy().adopted()).isTrue();
        assertThat(again.hsdo().haproxy().pid()).isEqualTo(pid);
        for (int k = 0; k < 10; k++) assertThat(route(again)).isEqualTo(backup);
        assertThat(stuck(again)).isEqualTo(backup);
        assertThat(stuck(a())).isEqualTo(backup);
    }

    @Test
    void aPeerJoiningAndLeavingRewritesThePeersSectionReloadsHitlesslyAndTheTableSurvives() throws Exception {
        String backup = failOverAndBringTheFirstBack();
        Instance a = a(), b = b();
        PeerConfig pa = new PeerConfig("hp-a", "127.0.0.1:" + peerPorts.get("hp-a"));
        PeerConfig pb = new PeerConfig("hp-b", "127.0.0.1:" + peerPorts.get("hp-b"));
        PeerConfig pc = new PeerConfig("hp-c", "127.0.0.1:" + peerPorts.get("hp-c"));
        String masterA = a.hsdo().haproxy().pid() + "";
        a.hsdo().agent().peers(List.of(pb, pc));
        b.hsdo().agent().peers(List.of(pa, pc));
        Instance c = start("hp-c", List.of("hp-a", "hp-b"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Files.readString(a.hsdo().haproxy().paths().configFile())).contains("peer hp-c 127.0.0.1:" + peerPorts.get("hp-c"));
            // The running worker has the new peer: the section was reloaded, not only written.
            assertThat(cli(a, "show peers")).contains("id=hp-c");
        });
        // The newcomer learned the fleet's entry from its peers (a lesson, or the entry the reloaded ones sent again).
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stuck(c)).isEqualTo(backup));
        for (Instance i : List.of(a, b, c)) for (int k = 0; k < 5; k++) assertThat(route(i)).isEqualTo(backup);
        assertThat(a.hsdo().haproxy().pid() + "").isEqualTo(masterA);
        assertThat(a.hsdo().agent().peers()).extracting(p -> p.name()).containsExactly("hp-a", "hp-b", "hp-c");

        c.hsdo().haproxy().stop();
        c.hsdo().close();
        instances.remove("hp-c");
        a.hsdo().agent().peers(List.of(pb));
        b.hsdo().agent().peers(List.of(pa));
        await().atMost(Duration.ofSeconds(10)).until(() -> !cli(a, "show peers").contains("id=hp-c"));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.hsdo().agent().status().converged());
        assertThat(stuck(a)).isEqualTo(backup);
        assertThat(stuck(b)).isEqualTo(backup);
        for (int k = 0; k < 5; k++) assertThat(route(a)).isEqualTo(backup);
    }
}
