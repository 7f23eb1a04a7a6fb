package dev.hsdo.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.testing.ConsulPlayback;
import dev.hsdo.testing.ConsulPlayback.Instance;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The iri-lb layout of {@code examples/iri-lb.yaml} on a real HAProxy, with Consul played back: PoW
 * requests go by rule to the capability backend, whose low maxconn holds under load while the default
 * backend keeps answering.
 */
class IriLbPlaybackIT {
    private static final Duration CONVERGE = Duration.ofSeconds(5);
    private static final int POW_REQUESTS = 20;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** An IRI node stand-in: answers its name; PoW requests (paths under /pow) wait for the gate. */
    static final class Node implements AutoCloseable {
        final String name;
        final HttpServer server;
        final ExecutorService executor = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r));
        final AtomicInteger powInFlight = new AtomicInteger();
        final AtomicInteger powMaxInFlight = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        Node(String name) {
            this.name = name;
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                if (ex.getRequestURI().getPath().startsWith("/pow")) {
                    powMaxInFlight.accumulateAndGet(powInFlight.incrementAndGet(), Math::max);
                    try {
                        if (!gate.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } finally {
                        powInFlight.decrementAndGet();
                    }
                }
                byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @TempDir
    Path dir;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    ConsulPlayback consul;
    Standalone hsdo;
    RuntimeApi api;
    int frontend;

    @BeforeEach
    void start() throws Exception {
        for (String n : List.of("n1", "n2", "p1", "p2", "p3")) nodes.put(n, new Node(n));
        consul = ConsulPlayback.start();
        consul.set("iri", 42,
                node("n1"), node("n2"),
                node("p1").tags("pow=true"),
                // The node asks for 50 connections: the PoW backend's limit of 2 still holds for it there.
                node("p2").nodeMeta(Map.of("pow", "true")).tags("hsdo.maxconn=50"),
                node("p3").tags("pow=true").status("critical"));
        frontend = Ports.free();
        Path example = Path.of(System.getProperty("hsdo.repo", "."), "examples", "iri-lb.yaml");
        Map<String, String> env = Map.of(
                "HSDO_HAPROXY_RUNTIME_DIR", dir.resolve("run").toString(),
                "HSDO_HAPROXY_STOP_WITH_HSDO", "true",
                "HSDO_FRONTENDS_0_BIND", "127.0.0.1:" + frontend,
                "HSDO_SOURCES_0_ADDRESS", consul.address().toString(),
                "HSDO_ADMIN_BIND", "",
                "HSDO_STORE_PATH", dir.resolve("state/plan.json").toString());
        hsdo = Standalone.start(ConfigLoader.load(example, env), new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
        api = SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(5));
        await().atMost(CONVERGE).until(() -> hsdo.agent().status().converged());
    }

    @AfterEach
    void stop() {
        nodes.values().forEach(n -> n.gate.countDown());
        if (api != null) api.close();
        if (hsdo != null) hsdo.close();
        if (consul != null) consul.close();
        nodes.values().forEach(Node::close);
    }

    private Instance node(String name) {
        return Instance.passing(name, "127.0.0.1", nodes.get(name).port());
    }

    private String get(String path, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontend + path)).timeout(Duration.ofSeconds(5));
        if (header != null) b.header(header, value);
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
        return r.body().trim();
    }

    private Set<String> answers(int n, String path, String header, String value) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) seen.add(get(path + i, header, value));
        return seen;
    }

    private StatRow stat(String proxy, String service) throws Exception {
        return api.showStat().stream().filter(s -> s.proxy().equals(proxy) && s.service().equals(service)).findFirst().orElseThrow();
    }

    private String server(String node) {
        return "127.0.0.1:" + nodes.get(node).port();
    }

    @Test
    void powRequestsGoToThePowBackendByPathOrHeaderAndTheRestToTheDefault() throws Exception {
        assertThat(hsdo.plan().backend("pow").servers()).extracting(s -> s.identity())
                .containsExactlyInAnyOrder(server("p1"), server("p2"));
        assertThat(hsdo.plan().backend("iri").servers()).extracting(s -> s.identity())
                .as("a critical node serves nowhere").containsExactlyInAnyOrder(server("n1"), server("n2"), server("p1"), server("p2"));

        assertThat(answers(40, "/api/", null, null)).contains("n1", "n2").doesNotContain("p3");
        assertThat(answers(20, "/pow/", null, null)).containsExactlyInAnyOrder("p1", "p2");
        assertThat(answers(20, "/api/", "X-IRI-Command", "attachToTangle")).containsExactlyInAnyOrder("p1", "p2");
        assertThat(answers(40, "/api/", "X-IRI-Command", "getNodeInfo")).contains("n1", "n2");
        assertThat(stat("pow", server("p2")).sessionLimit()).isEqualTo(2);
        assertThat(stat("iri", server("p2")).sessionLimit()).isEqualTo(50);
    }

    @Test
    void powMaxconnHoldsUnderLoadWhileTheDefaultBackendKeepsAnswering() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        nodes.values().forEach(n -> n.gate = gate);
        List<CompletableFuture<HttpResponse<String>>> pow = new ArrayList<>();
        for (int i = 0; i < POW_REQUESTS; i++) {
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontend + "/pow/" + i))
                    .timeout(Duration.ofSeconds(25)).build();
            pow.add(CLIENT.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
        }
        Node p1 = nodes.get("p1");
        Node p2 = nodes.get("p2");
        await().atMost(CONVERGE).until(() -> p1.powInFlight.get() == 2 && p2.powInFlight.get() == 2
                && stat("pow", "BACKEND").currentQueue() == POW_REQUESTS - 4);

        // Every PoW slot is taken and the rest wait in HAProxy's queue; other requests are still answered at once.
        long t0 = System.nanoTime();
        assertThat(answers(20, "/api/", null, null)).contains("n1", "n2");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("20 default-backend requests while PoW is saturated").isLessThan(2000);
        assertThat(p1.powMaxInFlight.get()).isEqualTo(2);
        assertThat(p2.powMaxInFlight.get()).isEqualTo(2);

        gate.countDown();
        for (CompletableFuture<HttpResponse<String>> f : pow) {
            HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().trim()).isIn("p1", "p2");
        }
        assertThat(p1.powMaxInFlight.get()).as("the limit held to the end").isEqualTo(2);
        assertThat(p2.powMaxInFlight.get()).isEqualTo(2);
        assertThat(stat("pow", server("p1")).maxSessions()).isEqualTo(2);
        assertThat(stat("pow", server("p2")).maxSessions()).isEqualTo(2);
        assertThat(nodes.get("n1").powMaxInFlight.get() + nodes.get("n2").powMaxInFlight.get())
                .as("PoW requests never reach nodes without the capability").isZero();
    }
}
