package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.testing.ConsulPlayback;
import dev.hsdo.testing.ConsulPlayback.Instance;
import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.TestCerts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consul tags and meta with the {@code hsdo.} prefix set server options on a real HAProxy; Consul is played
 * back from a local HTTP server.
 */
class NodeOptionsPlaybackIT {
    private static final Duration CONVERGE = Duration.ofSeconds(5);

    @TempDir
    static Path shared;
    static Origins origins;
    static HaproxyFixture tlsOrigin;

    @TempDir
    Path dir;
    ConsulPlayback consul;
    Standalone hsdo;
    RuntimeApi api;
    int frontend;

    @BeforeAll
    static void startOrigins() throws Exception {
        origins = Origins.start(shared, "o1", "o2", "o3");
        Path tls = Files.createDirectories(shared.resolve("tls"));
        TestCerts certs = TestCerts.create(tls);
        tlsOrigin = HaproxyFixture.start(tls, HaproxyFixture.HTTP_DEFAULTS + """
                frontend tls_origin
                  bind 127.0.0.1:${port:tls} ssl crt %s
                  http-request return status 200 content-type text/plain string "tls1\\n"
                """.formatted(certs.serverPem()));
    }

    @AfterAll
    static void stopOrigins() {
        if (tlsOrigin != null) tlsOrigin.close();
        if (origins != null) origins.close();
    }

    @AfterEach
    void stop() {
        if (api != null) api.close();
        if (hsdo != null) hsdo.close();
        if (consul != null) consul.close();
    }

    private void start() throws Exception {
        frontend = Ports.free();
        Files.writeString(dir.resolve("hsdo.yaml"), """
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                frontends:
                  - {name: fe, bind: 127.0.0.1:%d}
                backends:
                  - name: app
                    balance: roundrobin
                    health-check: {inter: 500ms, fastinter: 200ms, downinter: 500ms}
                sources:
                  - {name: nodes, type: consul, address: "%s", services: [web], wait: 5s}
                admin: {bind: ""}
                """.formatted(frontend, consul.address()));
        hsdo = Standalone.start(ConfigLoader.load(dir.resolve("hsdo.yaml"), Map.of()),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
        api = SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(5));
        await().atMost(CONVERGE).until(() -> hsdo.agent().status().converged());
    }

    private Instance node(String name, int port) {
        return Instance.passing(name, "127.0.0.1", port);
    }

    private String server(String origin) {
        return "127.0.0.1:" + (origin.equals("tls1") ? tlsOrigin.port("tls") : origins.port(origin));
    }

    private Map<String, ServerStateRow> state() throws Exception {
        return api.showServersState("app").stream().collect(Collectors.toMap(ServerStateRow::serverName, Function.identity()));
    }

    private Map<String, StatRow> stat() throws Exception {
        return api.showStat().stream().filter(s -> s.proxy().equals("app") && s.isServer())
                .collect(Collectors.toMap(StatRow::service, Function.identity()));
    }

    private Set<String> answers(int n) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) seen.add(Http.get(frontend, "/k/" + i).trim());
        return seen;
    }

    @Test
    void tagsSetWeightMaxconnTlsAndBackupAndAnInjectionAttemptIsRejectedAndReported() throws Exception {
        consul = ConsulPlayback.start();
        consul.set("web", 10,
                node("n1", origins.port("o1")).tags("hsdo.weight=30", "hsdo.maxconn=5"),
                node("n2", origins.port("o2")).serviceMeta(Map.of("hsdo.backup", "true")),
                node("n3", tlsOrigin.port("tls")).nodeMeta(Map.of("hsdo.ssl", "true")),
                node("n4", origins.port("o3")).tags("hsdo.maxconn=5;shutdown sessions"));
        start();

        Map<String, ServerStateRow> state = state();
        assertThat(state).containsOnlyKeys(server("o1"), server("o2"), server("tls1"), server("o3"));
        assertThat(state.get(server("o1")).userWeight()).isEqualTo(30);
        assertThat(state.get(server("tls1")).useSsl()).isTrue();
        assertThat(state.get(server("o1")).useSsl()).isFalse();
        Map<String, StatRow> stat = stat();
        assertThat(stat.get(server("o1")).sessionLimit()).isEqualTo(5);
        assertThat(stat.get(server("o2")).field("bck")).isEqualTo("1");
        assertThat(stat.get(server("o3")).sessionLimit()).as("the injected maxconn is not applied").isZero();

        // TLS to n3 works (its origin speaks only TLS); n2 is a backup and takes nothing while others serve.
        await().atMost(CONVERGE).until(() -> stat().get(server("tls1")).status().equals("UP"));
        assertThat(answers(30)).containsExactlyInAnyOrder("o1", "o3", "tls1");

        assertThat(hsdo.controller().snapshots().get("nodes").rejected()).containsExactly(
                "service 'web' node 'n4': meta[hsdo.maxconn]: invalid value '5;shutdown sessions' skipped (printable, no space, ';', '#', quotes)");
        assertThat(hsdo.status().toString()).contains("invalid value '5;shutdown sessions' skipped");
        assertThat(stat().values()).as("no session was shut by the tag").allSatisfy(s -> assertThat(s.status()).isNotEqualTo("MAINT"));
    }

    @Test
    void changedOptionsAreAppliedLiveWithTheSameIdsAndNoReload() throws Exception {
        consul = ConsulPlayback.start();
        consul.set("web", 10,
                node("n1", origins.port("o1")).tags("hsdo.maxconn=5"),
                node("n2", origins.port("o2")).tags("hsdo.backup=true"),
                node("n3", origins.port("o3")));
        start();
        Map<String, Integer> ids = state().values().stream().collect(Collectors.toMap(ServerStateRow::serverName, ServerStateRow::serverId));
        long worker = hsdo.haproxy().workerPid();
        assertThat(answers(30)).containsExactlyInAnyOrder("o1", "o3");

        consul.set("web", 11,
                node("n1", origins.port("o1")).tags("hsdo.maxconn=9"),
                node("n2", origins.port("o2")),
                node("n3", origins.port("o3")).tags("hsdo.ssl=false", "hsdo.weight=50"));
        await().atMost(CONVERGE).until(() -> stat().get(server("o1")).sessionLimit() == 9
                && "0".equals(stat().get(server("o2")).field("bck")) && state().get(server("o3")).userWeight() == 50
                && hsdo.agent().status().converged());
        assertThat(state().values().stream().collect(Collectors.toMap(ServerStateRow::serverName, ServerStateRow::serverId)))
                .as("servers replaced for a new backup flag keep their ids: the ring does not move").isEqualTo(ids);
        await().atMost(CONVERGE).until(() -> stat().get(server("o2")).status().equals("UP"));
        assertThat(answers(30)).containsExactlyInAnyOrder("o1", "o2", "o3");
        assertThat(hsdo.haproxy().workerPid()).as("no reload").isEqualTo(worker);
        assertThat(Files.readString(dir.resolve("run/haproxy.cfg"))).contains("server " + server("o1") + " " + server("o1")
                + " id " + ids.get(server("o1")) + " weight 100 maxconn 9 ");
    }
}
