package dev.hsdo.cli;

import dev.hsdo.agent.PeerStatus;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.haproxy.StickEntry;
import dev.hsdo.testing.Bind9;
import dev.hsdo.testing.Neighbors;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code hsdo sidecar} with {@code HSDO_ACTIVE_BACKUP=true}: two sidecars, each with its own HAProxy, take
 * their peers from a second SRV record on a real BIND 9, share the active server through the peers section,
 * and follow a third HAProxy joining and leaving that record with a hitless reload.
 */
class SidecarActiveBackupIT {
    private static final String PEERS = "_peers._tcp.store";
    private static final List<String> NODES = List.of("n1", "n2");

    @TempDir
    static Path dir;
    static Bind9 bind;
    static Origins origins;
    static final Map<String, Integer> peerPort = new HashMap<>();
    static Sidecar a;
    static Sidecar b;

    @BeforeAll
    static void start() throws Exception {
        origins = Origins.start(dir, NODES.toArray(String[]::new));
        int[] ports = Ports.free(3);
        List<String> zone = new ArrayList<>();
        for (String n : NODES) {
            zone.add(n + " IN A 127.0.0.1");
            zone.add("_http._tcp.store IN SRV 10 50 " + origins.port(n) + " " + n);
        }
        for (int i = 0; i < 3; i++) {
            String hp = "hp-" + (char) ('a' + i);
            peerPort.put(hp, ports[i]);
            zone.add(hp + " IN A 127.0.0.1");
            if (i < 2) zone.add(PEERS + " IN SRV 10 50 " + ports[i] + " " + hp);
        }
        bind = Bind9.start(dir.resolve("bind"), "svc.test", zone);
        a = sidecar("hp-a");
        b = sidecar("hp-b");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{b, a, bind, origins}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                // the others are still stopped
            }
        }
    }

    private static Sidecar sidecar(String hp) throws Exception {
        Map<String, String> env = new HashMap<>(Neighbors.env(bind, "_http._tcp.store.svc.test.", Ports.free(), dir.resolve(hp)));
        env.put("HSDO_ACTIVE_BACKUP", "true");
        env.put("HSDO_PEERS_BIND", "127.0.0.1:" + peerPort.get(hp));
        env.put("HSDO_PEERS_SRV", PEERS + ".svc.test.");
        return Neighbors.start(env);
    }

    private static String name(String hp) {
        return "127.0.0.1-" + peerPort.get(hp);
    }

    private static String cli(Sidecar s, String command) {
        try (var api = SocketRuntimeApi.of(s.standalone().haproxy().paths().adminSocket().toString(), Duration.ofSeconds(2))) {
            return api.call(command);
        } catch (Exception e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        }
    }

    private static String stuck(Sidecar s) {
        try (var api = SocketRuntimeApi.of(s.standalone().haproxy().paths().adminSocket().toString(), Duration.ofSeconds(2))) {
            List<StickEntry> table = api.showTable("peers");
            return table.isEmpty() ? null : table.getFirst().serverKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node that answers a request on a new connection, closed after it. */
    private static String route(Sidecar s) {
        try (Socket socket = new Socket("127.0.0.1", Neighbors.frontend(s))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /any HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return reply.substring(reply.indexOf("\r\n\r\n") + 4).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both sidecars see each other as peers and have both nodes up, and the shared table starts empty. */
    @BeforeEach
    void connectedAndEmpty() {
        // Several assertions below need the same two sidecars: they are started once for the class.
        for (Sidecar s : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(s.standalone().agent().peers()).extracting(PeerStatus::name).contains(name("hp-a"), name("hp-b"));
                assertThat(cli(s, "show peers")).contains("id=" + name("hp-a")).contains("id=" + name("hp-b"));
            });
            Neighbors.awaitServing(s, java.util.Set.of("n1.svc.test:" + origins.port("n1"), "n2.svc.test:" + origins.port("n2")));
            cli(s, "clear table peers");
        }
    }

    @Test
    void twoSidecarsOnOneRecordRenderEachOtherAsPeersAndAgreeOnTheActiveServer() throws Exception {
        assertThat(a.standalone().agent().peers()).extracting(PeerStatus::name, PeerStatus::local)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(name("hp-a"), true), org.assertj.core.groups.Tuple.tuple(name("hp-b"), false));
        assertThat(b.standalone().agent().peers()).extracting(PeerStatus::name, PeerStatus::local)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(name("hp-a"), false), org.assertj.core.groups.Tuple.tuple(name("hp-b"), true));
        assertThat(Files.readString(a.standalone().haproxy().paths().configFile()))
                .contains("peer " + name("hp-b") + " 127.0.0.1:" + peerPort.get("hp-b"));

        String active = route(a);
        // b has not been asked yet: its entry came from a through the peers section.
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck(b) != null);
        assertThat(stuck(b)).isEqualTo(stuck(a));
        for (int k = 0; k < 5; k++) {
            assertThat(route(a)).isEqualTo(active);
            assertThat(route(b)).isEqualTo(active);
        }
    }

    /** Adds hp-c to the peers' record, starts its sidecar and waits until a and b run with it as a peer. */
    private static Sidecar join() throws Exception {
        bind.addSrv(PEERS, 10, 50, peerPort.get("hp-c"), "hp-c");
        Sidecar c = sidecar("hp-c");
        try {
            for (Sidecar s : List.of(a, b))
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(Files.readString(s.standalone().haproxy().paths().configFile()))
                            .contains("peer " + name("hp-c") + " 127.0.0.1:" + peerPort.get("hp-c"));
                    // The running worker has the new peer: the section was reloaded, not only written.
                    assertThat(cli(s, "show peers")).contains("id=" + name("hp-c"));
                });
        } catch (RuntimeException | Error e) {
            // Stopped here (its HAProxy with it) when the join is not seen: the test will not get to leave().
            c.close();
            throw e;
        }
        return c;
    }

    /** Removes hp-c from the record and waits until a and b run without it; then stops its sidecar. */
    private static void leave(Sidecar c) {
        bind.deleteSrv(PEERS, 10, 50, peerPort.get("hp-c"), "hp-c");
        try (c) {
            for (Sidecar s : List.of(a, b))
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(Files.readString(s.standalone().haproxy().paths().configFile())).doesNotContain(name("hp-c"));
                    assertThat(cli(s, "show peers")).doesNotContain("id=" + name("hp-c"));
                });
        }
    }

    @Test
    void aThirdHaproxyJoiningAndLeavingTheRecordRewritesThePeersSectionWithAHitlessReload() throws Exception {
        long masterA = a.standalone().haproxy().pid();
        long masterB = b.standalone().haproxy().pid();
        Sidecar c = join();
        assertThat(c.standalone().agent().peers()).extracting(PeerStatus::name)
                .containsExactlyInAnyOrder(name("hp-a"), name("hp-b"), name("hp-c"));
        assertThat(a.standalone().haproxy().pid()).as("the same master: a hitless reload").isEqualTo(masterA);
        assertThat(b.standalone().haproxy().pid()).isEqualTo(masterB);
        leave(c);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.standalone().agent().status().converged());
        assertThat(a.standalone().haproxy().pid()).isEqualTo(masterA);
        assertThat(b.standalone().haproxy().pid()).isEqualTo(masterB);
        assertThat(a.standalone().agent().peers()).extracting(PeerStatus::name).containsExactlyInAnyOrder(name("hp-a"), name("hp-b"));
    }

    @Test
    void theActiveServerSurvivesAThirdHaproxyJoiningAndLeaving() throws Exception {
        String active = route(a);
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck(b) != null);
        String entry = stuck(a);
        Sidecar c = join();
        // The newcomer learned the entry from its peers; the reloaded ones kept theirs.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stuck(c)).isEqualTo(entry));
        assertThat(route(c)).isEqualTo(active);
        assertThat(stuck(a)).isEqualTo(entry);
        leave(c);
        for (Sidecar s : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> s.standalone().agent().status().converged());
            assertThat(stuck(s)).as("the table survived both reloads").isEqualTo(entry);
            assertThat(route(s)).isEqualTo(active);
        }
    }
}
