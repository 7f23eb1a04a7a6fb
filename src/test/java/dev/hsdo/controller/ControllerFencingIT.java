package dev.hsdo.controller;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerState;
import dev.hsdo.store.LeaderElection;
import dev.hsdo.store.etcd.EtcdFleetStore;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.FakeElection;
import dev.hsdo.testing.FixedSource;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Controllers publishing to a real etcd: the leader's fence, a wiped store, leadership churn. */
class ControllerFencingIT {
    @TempDir
    static Path dir;
    static EtcdCluster etcd;
    static Client admin;
    private static final AtomicInteger fleets = new AtomicInteger();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(dir.resolve("etcd"), 1);
        admin = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
    }

    @AfterAll
    static void stopEtcd() {
        admin.close();
        etcd.close();
    }

    private static String freshPrefix() {
        return "/hsdo-controller-it/f" + fleets.incrementAndGet();
    }

    private static EtcdFleetStore store(String prefix) {
        return new EtcdFleetStore(etcd.endpoints(), prefix, Duration.ofSeconds(2), Duration.ofMillis(200));
    }

    private static List<Endpoint> endpoints(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> Endpoint.of("10.0.0." + i, 80)).toList();
    }

    private static Controller controller(HsdoConfig config, FixedSource source, EtcdFleetStore store, LeaderElection election,
                                         ControllerMetrics metrics) {
        return new Controller(config, () -> List.of(source), store.plans(), Clock.systemUTC(), metrics, election);
    }

    @Test
    void aLeaderWhosePublishTheStoreRefusesStepsDownAndStopsItsSources() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore store = store(prefix)) {
            // b holds the lease in the store; a's election wrongly says a leads (a long pause, a lost renewal).
            LeaderElection b = store.election("b", Duration.ofSeconds(2));
            b.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
            FakeElection a = new FakeElection("a");
            a.win();
            FixedSource source = new FixedSource("servers", endpoints(2));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Controller c = controller(Configs.standard(dir, 8080, Duration.ZERO, 1.0), source, store, a,
                    new ControllerMetrics(registry))) {
                c.start();
                assertThat(store.plans().current()).as("the refused plan was not written").isEmpty();
                assertThat(c.isLeader()).as("it stepped down").isFalse();
                assertThat(source.isRunning()).as("a controller that stepped down stops its sources").isFalse();
                assertThat(c.lastError()).contains("a no longer holds the leader lease (held by b");
                assertThat(registry.counter("hsdo.plan.publish.fenced").count()).isEqualTo(1);
            }
            b.close();
        }
    }

    @Test
    void aStoreWipedUnderARunningLeaderGetsItsPlanBackInALaterEpochDrainsIncluded() throws Exception {
        String prefix = freshPrefix();
        FixedSource source = new FixedSource("servers", endpoints(3));
        HsdoConfig config = Configs.standard(dir, 8080, Duration.ofMinutes(5), 1.0);
        try (EtcdFleetStore store = store(prefix);
             Controller c = new Controller(config, List.of(source), store.plans(), Clock.systemUTC(), ControllerMetrics.none())) {
            Plan first = c.start();
            source.set(endpoints(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.plans().current()
                    .map(p -> p.backend("app").servers().stream().anyMatch(s -> s.state() == ServerState.DRAIN)).orElse(false));
            Plan beforeWipe = store.plans().current().orElseThrow();

            admin.getKVClient().delete(ByteSequence.from(prefix + "/", StandardCharsets.UTF_8),
                    DeleteOption.builder().isPrefix(true).build()).get();
            source.set(List.of(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80), Endpoint.of("10.0.0.9", 80)));

            await().atMost(Duration.ofSeconds(5)).until(() -> store.plans().current()
                    .map(p -> p.backend("app").servers().size() == 4).orElse(false));
            Plan after = store.plans().current().orElseThrow();
            assertThat(after.epoch()).as("a later epoch than before the wipe").isGreaterThan(first.epoch());
            assertThat(after.supersedes(beforeWipe)).as("readers of the old epoch follow it").isTrue();
            assertThat(after.generation()).as("generations carry on").isGreaterThan(beforeWipe.generation());
            assertThat(after.backend("app").servers()).filteredOn(s -> s.address().equals("10.0.0.3"))
                    .singleElement().extracting(s -> s.state()).as("the drain survived the wipe").isEqualTo(ServerState.DRAIN);
            assertThat(c.current()).isEqualTo(after);
        }
    }

    @Test
    void twoControllersUnderLeadershipChurnWriteEveryGenerationOnceAndInOrder() throws Exception {
        String prefix = freshPrefix();
        List<Long> written = new CopyOnWriteArrayList<>();
        try (Watch.Watcher ignored = admin.getWatchClient().watch(ByteSequence.from(prefix + "/generation", StandardCharsets.UTF_8),
                Watch.listener(r -> r.getEvents().stream().filter(e -> e.getEventType() == WatchEvent.EventType.PUT)
                        .forEach(e -> written.add(Long.parseLong(e.getKeyValue().getValue().toString(StandardCharsets.UTF_8))))));
             EtcdFleetStore sa = store(prefix); EtcdFleetStore sb = store(prefix); EtcdFleetStore reader = store(prefix)) {
            FixedSource a = new FixedSource("servers", endpoints(1));
            FixedSource b = new FixedSource("servers", endpoints(1));
            HsdoConfig config = Configs.standard(dir, 8080, Duration.ZERO, 1.0);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Controller ca = controller(config, a, sa, sa.election("a", Duration.ofSeconds(2)), new ControllerMetrics(registry));
                 Controller cb = controller(config, b, sb, sb.election("b", Duration.ofSeconds(2)), new ControllerMetrics(registry))) {
                ca.start();
                cb.start();
                ByteSequence leaderKey = ByteSequence.from(prefix + "/leader", StandardCharsets.UTF_8);
                for (int round = 2; round <= 8; round++) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> !admin.getKVClient().get(leaderKey).get().getKvs().isEmpty());
                    long lease = admin.getKVClient().get(leaderKey).get().getKvs().getFirst().getLease();
                    // The leader's lease ends under it, and at that moment the world changes: whichever controller
                    // still believes it leads plans at once.
                    admin.getLeaseClient().revoke(lease).get();
                    a.set(endpoints(round));
                    b.set(endpoints(round));
                    int servers = round;
                    await().atMost(Duration.ofSeconds(10)).until(() -> reader.plans().current()
                            .map(p -> p.backend("app").servers().size() == servers).orElse(false));
                }
                long last = reader.plans().current().orElseThrow().generation();
                await().atMost(Duration.ofSeconds(5)).until(() -> written.size() >= last);
                assertThat(written).as("every generation written exactly once, in order")
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
                System.out.printf("churn: %d generations, %.0f publishes refused by the fence%n", last,
                        registry.counter("hsdo.plan.publish.fenced").count());
                assertThat(Objects.requireNonNull(ca.current()).generation() <= last).isTrue();
            }
        }
    }
}
