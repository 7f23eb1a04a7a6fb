package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.testing.Bind9;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Neighbors;
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
import java.util.HashMap;
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
        return StandaloneYaml.write(dir, frontend, ", timeouts: {server: " + timeoutServer + "}");
    }

    // A fleet agent's config: the standalone one plus the store and the agent's id.
    private Path agentConfig(Path standalone, EtcdCluster etcd) throws Exception {
        Path c = dir.resolve("agent.yaml");
        Files.writeString(c, Files.readString(standalone) + """
                drain-period: 0s
                store: {type: etcd, endpoints: [%s]}
                fleet: {agent-id: a1}
                """.formatted(String.join(", ", etcd.endpoints())));
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
    void sidecarLeavesItsHaproxyServingAndTheNextSidecarAdoptsIt() throws Exception {
        Origins origins = running.add(Origins.start(dir, "n1"));
        Bind9 bind = running.add(Bind9.start(dir.resolve("bind"), "svc.test",
                List.of("n1 IN A 127.0.0.1", "_http._tcp.store IN SRV 10 50 " + origins.port("n1") + " n1")));
        int frontend = Ports.free();
        Map<String, String> env = new HashMap<>(Neighbors.env(bind, "_http._tcp.store.svc.test.", frontend, dir.resolve("data")));
        env.remove("HSDO_HAPROXY_STOP_WITH_HSDO");
        LeftHaproxy haproxy = running.add(new LeftHaproxy(dir.resolve("data/run")));
        Sidecar first = running.add(Neighbors.start(env));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.standalone().agent().status().converged());
        long master = haproxy.masterPid();

        first.close();
        assertThat(Http.get(frontend, "/while-down")).isEqualTo("n1\n");
        Sidecar second = running.add(Neighbors.start(env));

        assertThat(second.standalone().haproxy().adopted()).isTrue();
        assertThat(second.standalone().haproxy().pid()).isEqualTo(master);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.standalone().agent().status().converged());
        assertThat(Http.get(frontend, "/after")).isEqualTo("n1\n");
    }

    @Test
    void fleetAgentLeavesItsHaproxyServingAndTheNextAgentAdoptsIt() throws Exception {
        EtcdCluster etcd = running.add(EtcdCluster.start(dir.resolve("etcd"), 1));
        int frontend = Ports.free();
        Path c = agentConfig(StandaloneYaml.write(dir, frontend, ""), etcd);
        LeftHaproxy haproxy = running.add(new LeftHaproxy(dir.resolve("run")));
        AgentNode first = running.add(AgentNode.start(ConfigLoader.load(c, Map.of()), Clock.systemUTC()));
        long master = haproxy.masterPid();
        assertThat(master).isPositive();

        first.close();
        assertThat(haproxy.masterPid()).as("left serving").isEqualTo(master);
        AgentNode second = running.add(AgentNode.start(ConfigLoader.load(c, Map.of()), Clock.systemUTC()));

        assertThat(second.status().get("haproxy")).asString().contains("pid=" + master);
        assertThat(haproxy.masterPid()).isEqualTo(master);
    }

    @Test
    void anAgentWithoutAnyPlanLeavesTheAdoptedHaproxyAndItsConfigAsTheyAre() throws Exception {
        Origins origins = running.add(Origins.start(dir, "o1"));
        ServerFile.write(dir.resolve("servers.yaml"), List.of("name: o1, address: 127.0.0.1, port: " + origins.port("o1")));
        int frontend = Ports.free();
        running.add(new LeftHaproxy(dir.resolve("run")));
        Standalone standalone = running.add(Standalone.start(ConfigLoader.load(config(frontend, "2s"), Map.of()), Clock.systemUTC()));
        await().atMost(Duration.ofSeconds(10)).until(() -> standalone.agent().status().converged());
        standalone.close();
        EtcdCluster etcd = running.add(EtcdCluster.start(dir.resolve("etcd"), 1));
        // The same HAProxy, now under an agent whose store holds no plan yet (a new or wiped store).
        Path c = agentConfig(dir.resolve("hsdo.yaml"), etcd);

        AgentNode agent = running.add(AgentNode.start(ConfigLoader.load(c, Map.of()), Clock.systemUTC()));

        assertThat(agent.plan().generation()).isZero();
        // Until a plan arrives, nothing is taken away: not the servers, not their lines in the config file
        // that a restart of HAProxy would start from.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                Files.readString(dir.resolve("run/haproxy.cfg")).contains("server o1 127.0.0.1:" + origins.port("o1"))
                        && Http.get(frontend, "/k").equals("o1\n"));
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
