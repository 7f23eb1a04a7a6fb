package dev.hsdo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.config.ConfigException;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.etcd.EtcdFleetStore;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Agents (in this JVM, each with its own real HAProxy) against a real etcd, with plans the test publishes
 * itself: a store outage across an agent restart, an agent started without its store, plans an agent can
 * only partly apply (a backend it lacks, a server HAProxy refuses), and agent ids on one host.
 */
class AgentFaultsIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String FLEET = "{agent-id: %s, status-ttl: 3s}";
    /** Passes hsdo's checks (a positive interval) but exceeds HAProxy's timer limit of 2^31-1 ms. */
    private static final long TOO_LONG_INTER_MS = 3_000_000_000L;

    @TempDir
    static Path shared;
    private static EtcdCluster etcd;
    private static int prefixes;

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    private String prefix;
    private EtcdFleetStore store;
    private FleetHarness fleet;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(shared.resolve("etcd"), 1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) etcd.close();
    }

    /** A harness on a prefix of its own, so that tests sharing the etcd do not see each other. */
    private FleetHarness fleet(String... origins) {
        prefix = "/agent-faults-" + (++prefixes);
        store = running.add(new EtcdFleetStore(etcd.endpoints(), prefix, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        String storeYaml = "{type: etcd, endpoints: [%s], prefix: %s, poll-interval: 1s, timeout: 2s}"
                .formatted(String.join(", ", etcd.endpoints()), prefix);
        fleet = running.add(new FleetHarness(dir, storeYaml, store, origins));
        return fleet;
    }

    private ServerPlan server(String origin, ServerOptions options) {
        int port = fleet.originPorts().get(origin);
        return new ServerPlan(origin, Integer.parseInt(origin.substring(1)), "127.0.0.1:" + port, "127.0.0.1", port, 100,
                ServerState.READY, null, options, null);
    }

    private ServerPlan server(String origin) {
        return server(origin, ServerOptions.defaults());
    }

    /**
     * Publishes a plan of {@code backends} as {@code generation}; retried (bounded) while the test's own client
     * reconnects after an outage, and done once the store holds that generation.
     */
    private Plan publish(long generation, Map<String, List<ServerPlan>> backends) {
        List<BackendPlan> bs = new ArrayList<>();
        backends.forEach((name, servers) -> bs.add(new BackendPlan(name, servers, null)));
        java.util.concurrent.atomic.AtomicReference<Plan> done = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            Optional<Plan> stored = store.plans().current();
            if (stored.map(Plan::generation).orElse(0L) == generation) {
                done.set(stored.get());
                return true;
            }
            // The next generation goes out in the epoch the store holds (a new one when it is empty).
            done.set(store.plans().publish(Plan.of(generation, bs).withEpoch(stored.map(Plan::epoch).orElse(0L)), generation - 1));
            return true;
        });
        return done.get();
    }

    private Plan publish(long generation, String... origins) {
        return publish(generation, Map.of("app", List.of(origins).stream().map(this::server).toList()));
    }

    private static void awaitApplied(AgentNode agent, long generation) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(50))
                .until(() -> agent.agent().status().converged() && agent.agent().status().appliedGeneration() == generation);
    }

    private static JsonNode status(int admin) throws IOException {
        return PlanJson.mapper().readTree(Http.get(admin, "/api/v1/status"));
    }

    @Test
    void agentRestartedWhileTheStoreIsDownKeepsEveryServerStaysReadyAndShowsTheOutage() throws Exception {
        fleet("o1", "o2", "o3", "o4");
        int admin = Ports.free();
        AgentNode agent = fleet.startAgent("a1", FLEET.formatted("a1"), "127.0.0.1:" + admin);
        publish(1, "o1", "o2", "o3", "o4");
        awaitApplied(agent, 1);
        assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2", "o3", "o4");
        assertThat(Http.get(admin, "/metrics")).contains("hsdo_store_healthy 1.0");

        etcd.kill(0);
        try {
            fleet.stopAgent("a1");
            agent = fleet.startAgent("a1", FLEET.formatted("a1"), "127.0.0.1:" + admin);
            awaitApplied(agent, 1);
            // Every request is served by the four servers of the last applied plan, none gets a 503.
            assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2", "o3", "o4").contains("o1", "o2", "o3", "o4");

            JsonNode store = status(admin).path("store");
            assertThat(store.path("healthy").asBoolean(true)).isFalse();
            assertThat(store.path("error").asText()).contains("etcd");
            assertThat(store.path("since").asText()).isNotEmpty();
            HttpResponse<String> ready = Http.fetch(admin, "/readyz");
            assertThat(ready.statusCode()).as("an agent serving its last plan stays in rotation").isEqualTo(200);
            assertThat(ready.body()).contains("fleet store failing since").contains("serving the last plan");
            assertThat(Http.get(admin, "/metrics")).contains("hsdo_store_healthy 0.0");
        } finally {
            etcd.restart(0);
        }

        // The store is back: a newer plan supersedes the kept one.
        publish(2, "o1", "o2", "o3");
        awaitApplied(agent, 2);
        assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2", "o3");
        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(status(admin).path("store").path("healthy").asBoolean(false)).isTrue();
            assertThat(Http.fetch(admin, "/readyz").body()).isEqualTo("ready\n");
        });
    }

    @Test
    void agentStartedWhileTheStoreIsDownStartsReportsItAndFollowsTheStoreOnceItAnswers() throws Exception {
        fleet("o1", "o2");
        etcd.kill(0);
        AgentNode agent;
        try {
            agent = fleet.startAgent("a1", FLEET.formatted("a1"), "");
            assertThat(agent.status().get("store")).asString().contains("healthy=false");
        } finally {
            etcd.restart(0);
        }
        publish(1, "o1", "o2");
        awaitApplied(agent, 1);
        assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2").contains("o1", "o2");
        await().atMost(BOUND).until(() -> store.agents(Duration.ofSeconds(3)).agents().stream()
                .anyMatch(r -> r.agentId().equals("a1") && r.appliedGeneration() == 1));
    }

    @Test
    void aPlanNamingABackendTheAgentLacksIsAppliedForTheOtherBackendsAndReported() throws Exception {
        fleet("o1", "o2", "o3");
        AgentNode agent = fleet.startAgent("a1", FLEET.formatted("a1"), "");
        Map<String, List<ServerPlan>> backends = new LinkedHashMap<>();
        backends.put("app", List.of(server("o1"), server("o2")));
        backends.put("checkout", List.of(server("o3")));
        publish(1, backends);

        awaitApplied(agent, 1);
        assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2").contains("o1", "o2");
        assertThat(agent.agent().status().planProblems())
                .containsExactly("backend checkout: in the plan but not in this agent's configuration (skipped)");
        await().atMost(BOUND).until(() -> store.agents(Duration.ofSeconds(3)).agents().stream()
                .anyMatch(r -> r.appliedGeneration() == 1 && r.planProblems().toString().contains("backend checkout")));

        // The next plan is followed as well.
        backends.put("app", List.of(server("o2"), server("o3")));
        publish(2, backends);
        awaitApplied(agent, 2);
        assertThat(fleet.routing("a1").values()).containsOnly("o2", "o3");
    }

    @Test
    void aServerHaproxyRefusesIsLeftOutOfTheConfigSoAnHaproxyRestartServesTheOthers() throws Exception {
        fleet("o1", "o2", "o3");
        AgentNode agent = fleet.startAgent("a1", FLEET.formatted("a1"), "");
        ServerOptions d = ServerOptions.defaults();
        ServerOptions tooLong = new ServerOptions(d.maxconn(), d.ssl(), d.sslVerify(), true, TOO_LONG_INTER_MS,
                d.fastinterMs(), d.downinterMs(), d.rise(), d.fall(), d.observeErrors(), d.backup());
        publish(1, Map.of("app", List.of(server("o1"), server("o2"), server("o3", tooLong))));

        awaitApplied(agent, 1);
        assertThat(agent.agent().status().planProblems()).singleElement().asString()
                .contains("server app/o3").contains("refused by HAProxy").contains("timer overflow");
        assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2").contains("o1", "o2");
        Path cfg = agent.haproxy().paths().configFile();
        assertThat(Files.readString(cfg)).contains("server o1 ").doesNotContain("server o3 ");

        // HAProxy dies and its supervisor starts it again from the written config: it starts, with o1 and o2.
        long pid = agent.haproxy().pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(BOUND).until(() -> agent.haproxy().pid() != pid && agent.haproxy().pid() > 0);
        await().atMost(BOUND).ignoreExceptions().untilAsserted(() ->
                assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2").contains("o1", "o2"));

        // The agent restarts with that plan in the store: HAProxy cannot start on it, so the agent starts it on the
        // last applied plan and applies the stored one at runtime, leaving the refused server out again.
        fleet.stopAgent("a1");
        AgentNode restarted = fleet.startAgent("a1", FLEET.formatted("a1"), "");
        awaitApplied(restarted, 1);
        assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2").contains("o1", "o2");
        assertThat(restarted.agent().status().planProblems()).singleElement().asString().contains("server app/o3");

        // Its plan entry changes: it is tried again, and now it serves.
        publish(2, "o1", "o2", "o3");
        awaitApplied(restarted, 2);
        assertThat(restarted.agent().status().planProblems()).isEmpty();
        await().atMost(BOUND).ignoreExceptions().untilAsserted(() ->
                assertThat(fleet.routing("a1").values()).containsOnly("o1", "o2", "o3").contains("o1", "o2", "o3"));
        assertThat(Files.readString(restarted.haproxy().paths().configFile())).contains("server o3 ");
    }

    @Test
    void twoAgentsOnOneHostGetTheirOwnIdsAndASecondAgentUnderALiveIdIsRefused() throws Exception {
        fleet("o1");
        int admin1 = Ports.free();
        int admin2 = Ports.free();
        // No agent-id: each derives its own from the host and its admin port.
        fleet.startAgent("h1", "{status-ttl: 3s}", "127.0.0.1:" + admin1);
        fleet.startAgent("h2", "{status-ttl: 3s}", "127.0.0.1:" + admin2);
        await().atMost(BOUND).untilAsserted(() -> assertThat(store.agents(Duration.ofSeconds(3)).agents())
                .extracting(AgentReport::agentId).hasSize(2).anyMatch(id -> id.endsWith(":" + admin1))
                .anyMatch(id -> id.endsWith(":" + admin2)));

        AgentNode first = fleet.startAgent("d1", FLEET.formatted("dup"), "");
        await().atMost(BOUND).until(() -> store.agents(Duration.ofSeconds(3)).agents().stream()
                .anyMatch(r -> r.agentId().equals("dup")));
        assertThatThrownBy(() -> fleet.startAgent("d2", FLEET.formatted("dup"), ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fleet.agent-id: agent id dup is already reported by another live agent");
        assertThat(first.report().instance()).isNotNull();

        // The same agent restarted (same data directory, same instance) is not a duplicate of its own last report.
        fleet.stopAgent("d1");
        fleet.startAgent("d1", FLEET.formatted("dup"), "");

        // Restarted with its data directory wiped (a new instance) while its last report lives: that report is
        // not renewed, so the agent takes the id over instead of refusing to start.
        fleet.stopAgent("d1");
        Files.delete(dir.resolve("agent-d1/run/agent-instance"));
        AgentNode wiped = fleet.startAgent("d1", FLEET.formatted("dup"), "");
        await().atMost(BOUND).until(() -> store.agents(Duration.ofSeconds(3)).agents().stream()
                .anyMatch(r -> r.agentId().equals("dup") && wiped.report().instance().equals(r.instance())));
    }
}
