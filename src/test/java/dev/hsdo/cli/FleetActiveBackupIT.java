package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.controller.FleetStatus;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fleet mode (etcd, one controller, two agents): each agent's HAProxy takes the other registered agents as its
 * peers, and the controller reports per active/backup backend whether the agents' HAProxies agree on the
 * active server, reporting a disagreement as an error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetActiveBackupIT {
    @TempDir
    static Path dir;
    private EtcdCluster etcd;
    private Origins origins;
    private ControllerNode controller;
    private final List<AgentNode> agents = new ArrayList<>();
    private final List<Integer> frontends = new ArrayList<>();

    private String config(String fleet, int frontend, int peer) {
        return """
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                peers: {bind: "127.0.0.1:%d"}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: db}]
                backends:
                  - {name: db, mode: tcp, active-backup: true, sources: [servers],
                     health-check: {inter: 300ms, fastinter: 200ms, downinter: 300ms}}
                sources: [{name: servers, type: file, path: %s}]
                reconcile-interval: 300ms
                admin: {bind: ""}
                store: {type: etcd, endpoints: [%s], prefix: abfleet, poll-interval: 300ms}
                fleet: %s
                """.formatted(peer, frontend, dir.resolve("servers.yaml"), String.join(", ", etcd.endpoints()), fleet);
    }

    private Path write(String name, String text) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Path f = home.resolve("hsdo.yaml");
        Files.writeString(f, text);
        return f;
    }

    @BeforeAll
    void startFleet() throws Exception {
        etcd = EtcdCluster.start(dir.resolve("etcd"), 1);
        origins = Origins.start(dir, "n1", "n2");
        ServerFile.write(dir.resolve("servers.yaml"), List.of(
                "name: n1, address: 127.0.0.1, port: " + origins.port("n1"),
                "name: n2, address: 127.0.0.1, port: " + origins.port("n2")));
        controller = ControllerNode.start(ConfigLoader.load(write("controller",
                config("{controller-id: c1, lease-ttl: 2s}", Ports.free(), Ports.free())), Map.of()), Clock.systemUTC());
        for (String id : List.of("agent-a", "agent-b")) {
            int frontend = Ports.free();
            frontends.add(frontend);
            agents.add(AgentNode.start(ConfigLoader.load(write(id, config("{agent-id: " + id + ", status-ttl: 2s}", frontend,
                    Ports.free())), Map.of()), Clock.systemUTC()));
        }
    }

    @AfterAll
    void stopFleet() {
        agents.forEach(AgentNode::close);
        if (controller != null) controller.close();
        if (origins != null) origins.close();
        if (etcd != null) etcd.close();
    }

    private static String route(int port) {
        return ActiveBackupIT.route(port);
    }

    private static String cli(AgentNode a, String command) {
        try (var api = SocketRuntimeApi.of(a.haproxy().paths().adminSocket().toString(), Duration.ofSeconds(2))) {
            return api.call(command);
        } catch (Exception e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<FleetStatus.ActiveBackup> fleetView() {
        Object v = controller.status().get("activeBackup");
        return v == null ? List.of() : (List<FleetStatus.ActiveBackup>) v;
    }

    @Test
    void eachAgentsPeersAreTheOtherRegisteredAgentsAndTheControllerReportsAgreementThenADisagreement() {
        AgentNode a = agents.get(0), b = agents.get(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(cli(a, "show peers")).contains("id=agent-b(remote").contains("id=agent-a(local");
            assertThat(cli(b, "show peers")).contains("id=agent-a(remote");
            assertThat(a.agent().status().converged()).isTrue();
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(route(frontends.get(0))).isEqualTo("n1");
            assertThat(route(frontends.get(1))).isEqualTo("n1");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fleetView()).containsExactly(
                new FleetStatus.ActiveBackup("db", true, Map.of("agent-a", "n1", "agent-b", "n1"), null)));

        // One HAProxy loses its entry (clear table is local only): the fleet no longer agrees, and says so.
        cli(a, "clear table db");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<FleetStatus.ActiveBackup> view = fleetView();
            assertThat(view).hasSize(1);
            assertThat(view.getFirst().agreed()).isFalse();
            assertThat(view.getFirst().error()).contains("disagree");
        });
        // Its next connection stores the entry again and the peers share it: agreement is back.
        assertThat(route(frontends.get(0))).isEqualTo("n1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fleetView().getFirst().agreed()).isTrue());
    }
}
