package dev.hsdo.discovery.etcd;

import dev.hsdo.config.EtcdRegistrySourceConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Ports;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The etcd registry source against a real etcd: registration, lease expiry, watch latency, outage (a killed member). */
class EtcdRegistrySourceIT {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    static Path dir;
    static EtcdCluster etcd;
    static Client client;

    private final List<SourceSnapshot> seen = new CopyOnWriteArrayList<>();
    private final String prefix = "/hsdo/services/web" + PREFIXES.incrementAndGet() + "/";
    private EtcdRegistrySource source;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(dir, 1);
        client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
    }

    @AfterAll
    static void stopEtcd() {
        if (client != null) client.close();
        if (etcd != null) etcd.close();
    }

    @AfterEach
    void closeSource() {
        if (source != null) source.close();
    }

    private EtcdRegistrySource start(Duration checkInterval) {
        source = new EtcdRegistrySource(new EtcdRegistrySourceConfig("registry", List.of(URI.create(etcd.endpoints().getFirst())), prefix,
                checkInterval),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), Duration.ofSeconds(1), Duration.ofMillis(100));
        source.start(seen::add);
        return source;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private void register(String id, String address, int port, long lease) throws Exception {
        String json = "{\"address\": \"" + address + "\", \"port\": " + port + ", \"name\": \"" + id + "\"}";
        PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        client.getKVClient().put(bytes(prefix + id), bytes(json), option).get(5, TimeUnit.SECONDS);
    }

    /**
     * {@link #register} on port 80 without a lease, retried (bounded): after an outage the test's own client may
     * still be in its channel's reconnect backoff, and only the source under test is held to a time.
     */
    private void registerAfterOutage(String id, String address) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            register(id, address, 80, 0);
            return true;
        });
    }

    private static List<String> names(SourceSnapshot s) {
        return s.endpoints().stream().map(Endpoint::name).toList();
    }

    @Test
    void entriesPresentAtStartAreInTheFirstSnapshot() throws Exception {
        register("a", "10.0.0.1", 80, 0);
        register("b", "10.0.0.2", 80, 0);
        client.getKVClient().put(bytes(prefix + "bad"), bytes("not json")).get(5, TimeUnit.SECONDS);
        client.getKVClient().put(bytes("/hsdo/services/other/x"), bytes("{\"address\": \"10.9.9.9\", \"port\": 1}")).get(5, TimeUnit.SECONDS);
        start(Duration.ofSeconds(5));
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().healthy()).isTrue();
        assertThat(names(seen.getFirst())).containsExactly("a", "b");
        assertThat(seen.getFirst().rejected()).containsExactly("key '" + prefix + "bad': value is not a JSON object");
    }

    @Test
    void registrationsArriveThroughTheWatchWithinMilliseconds() throws Exception {
        // A check interval of a minute: whatever arrives sooner came through the watch, not a poll.
        start(Duration.ofMinutes(1));
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "n" + i;
            long t0 = System.nanoTime();
            register(id, "10.0.1." + (i + 1), 8080, 0);
            await().atMost(BOUND).pollInterval(Duration.ofMillis(1)).until(() -> names(source.current()).contains(id));
            latencies.add((System.nanoTime() - t0) / 1_000_000);
        }
        Collections.sort(latencies);
        System.out.println("etcd registry watch latency ms: median " + latencies.get(10) + ", max " + latencies.getLast());
        assertThat(latencies.get(10)).isLessThan(100);
        assertThat(latencies.getLast()).isLessThan(1000);

        client.getKVClient().delete(bytes(prefix + "n3")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(1)).until(() -> !names(source.current()).contains("n3"));
        assertThat(names(source.current())).hasSize(19);
    }

    @Test
    void anExpiredLeaseRemovesItsEndpoint() throws Exception {
        start(Duration.ofSeconds(5));
        long lease = client.getLeaseClient().grant(2).get(5, TimeUnit.SECONDS).getID();
        register("short-lived", "10.0.2.1", 80, lease);
        register("static", "10.0.2.2", 80, 0);
        await().atMost(BOUND).until(() -> names(source.current()).containsAll(List.of("short-lived", "static")));
        long t0 = System.nanoTime();
        // Nobody renews the lease: etcd deletes the key when it expires, and the watch reports it.
        await().atMost(BOUND).until(() -> !names(source.current()).contains("short-lived"));
        System.out.println("lease of 2 s expired; endpoint gone after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(names(source.current())).containsExactly("static");
        assertThat(source.current().healthy()).isTrue();
    }

    @Test
    void anEtcdOutageKeepsTheLastGoodEndpointsIsReportedAndRecoveryIsPickedUp() throws Exception {
        register("a", "10.0.3.1", 80, 0);
        start(Duration.ofMillis(200));
        assertThat(names(source.current())).containsExactly("a");

        etcd.kill(0);
        try {
            await().atMost(BOUND).until(() -> !source.current().healthy());
            assertThat(source.current().error()).contains("etcd");
            assertThat(names(source.current())).containsExactly("a");
        } finally {
            etcd.restart(0);
        }
        registerAfterOutage("b", "10.0.3.2");
        await().atMost(BOUND).until(() -> source.current().healthy() && names(source.current()).equals(List.of("a", "b")));
    }

    @Test
    void afterAnOutageTheRegistryIsFollowedWithinTwoSecondsOfEtcdAnswering() throws Exception {
        register("a", "10.0.4.1", 80, 0);
        source = new EtcdRegistrySource(new EtcdRegistrySourceConfig("registry", List.of(URI.create(etcd.endpoints().getFirst())),
                prefix, Duration.ofMillis(200)), new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
        source.start(seen::add);
        etcd.kill(0);
        try {
            // Long enough for a doubling backoff (or the gRPC channel's own) to stretch past two seconds.
            await().atMost(BOUND).until(() -> !source.current().healthy());
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> !source.current().healthy());
        } finally {
            etcd.restart(0);
        }
        // etcd answers again (restart returns once it reports healthy).
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> source.current().healthy());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("etcd back: source healthy again after %d ms%n", ms);
        assertThat(ms).as("ms from etcd answering again to the source reading it").isLessThanOrEqualTo(2000);
        registerAfterOutage("b", "10.0.4.2");
        await().atMost(BOUND).until(() -> names(source.current()).contains("b"));
    }

    @Test
    void anUnreachableEtcdAtStartIsReportedInTheFirstSnapshot() {
        source = new EtcdRegistrySource(new EtcdRegistrySourceConfig("registry", List.of(URI.create("http://127.0.0.1:" + Ports.free())),
                prefix, Duration.ofSeconds(5)),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), Duration.ofMillis(500), Duration.ofMillis(100));
        source.start(seen::add);
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().healthy()).isFalse();
        assertThat(seen.getFirst().endpoints()).isEmpty();
    }
}
