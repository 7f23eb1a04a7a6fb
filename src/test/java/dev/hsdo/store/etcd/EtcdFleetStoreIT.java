package dev.hsdo.store.etcd;

import dev.hsdo.model.Plan;
import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.Fence;
import dev.hsdo.store.LeaderElection;
import dev.hsdo.store.PlanStore;
import dev.hsdo.store.StoreException;
import dev.hsdo.store.WipedStoreCheck;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.Plans;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The etcd store against one real etcd member, killed and restarted where the test says so. */
class EtcdFleetStoreIT {
    @TempDir
    static Path dir;
    static EtcdCluster etcd;
    private static final AtomicInteger fleets = new AtomicInteger();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(dir, 1);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    /** A store on a prefix of its own, so tests do not see each other's keys. */
    private static EtcdFleetStore fleet(String prefix) {
        return new EtcdFleetStore(etcd.endpoints(), "/hsdo-test/" + prefix, Duration.ofSeconds(2), Duration.ofMillis(200));
    }

    private static String freshPrefix() {
        return "f" + fleets.incrementAndGet();
    }

    @Test
    void tenThousandServerPlanReadsBackWholeAndReachesAWatcherOfAnotherClient() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore writer = fleet(prefix); EtcdFleetStore reader = fleet(prefix)) {
            List<Plan> seen = new CopyOnWriteArrayList<>();
            reader.plans().watch(seen::add);
            Plan big = writer.plans().publish(Plans.of(1, 10_000), 0);
            assertThat(reader.plans().current()).contains(big);
            await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
            assertThat(seen).containsExactly(big);
        }
    }

    /** {@code tenants} random (hardly compressible) tenant ids over 4 shards: compressed, well over one etcd request. */
    private static Plan withTenants(long generation, int tenants, long seed) {
        java.util.Random random = new java.util.Random(seed);
        java.util.Map<String, String> entries = new java.util.HashMap<>();
        while (entries.size() < tenants)
            entries.put(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()), "shard" + random.nextInt(4));
        Plan base = Plans.of(generation, 2);
        return new Plan(generation, null, base.backends(), 0, new dev.hsdo.model.TenantTable(entries, List.of()));
    }

    @Test
    void aPlanLargerThanOneEtcdRequestIsChunkedReadWholeByAWatcherAndItsOldChunksDeleted() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore writer = fleet(prefix); EtcdFleetStore reader = fleet(prefix);
             Client raw = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
            List<Plan> seen = new CopyOnWriteArrayList<>();
            reader.plans().watch(seen::add);
            Plan first = withTenants(1, 150_000, 1);
            assertThat(dev.hsdo.store.PlanJson.bytes(first).length).isGreaterThan(2 * 1024 * 1024);
            LeaderElection leader = writer.election("a", Duration.ofSeconds(5));
            leader.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(leader::isLeader);
            Plan p1 = writer.plans().publish(first, 0, leader.fence());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
            assertThat(seen.getFirst()).isEqualTo(p1);
            assertThat(seen.getFirst().tenants().entries()).hasSize(150_000);

            Plan p2 = writer.plans().publish(withTenants(2, 150_000, 2).withEpoch(p1.epoch()), 1, leader.fence());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            assertThat(seen.get(1)).isEqualTo(p2);
            try (EtcdFleetStore fresh = fleet(prefix)) {
                assertThat(fresh.plans().current()).contains(p2);
            }
            // Only the chunks of the plan in force remain (3 of about 1 MiB each).
            ByteSequence chunkPrefix = ByteSequence.from("/hsdo-test/" + prefix + "/plan-chunks/", java.nio.charset.StandardCharsets.UTF_8);
            var left = raw.getKVClient().get(chunkPrefix, io.etcd.jetcd.options.GetOption.builder().isPrefix(true).withKeysOnly(true).build()).get();
            assertThat(left.getKvs()).isNotEmpty().allSatisfy(kv -> assertThat(kv.getKey().toString())
                    .contains("/plan-chunks/" + String.format("%019d", 2)));
            leader.close();
        }
    }

    @Test
    void aDeposedLeaderCannotPublishAChunkedPlanAndLeavesNoChunksBehind() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore store = fleet(prefix);
             Client raw = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
            LeaderElection a = store.election("a", Duration.ofSeconds(5));
            a.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
            Fence deposed = a.fence();
            Plan p1 = store.plans().publish(Plans.of(1, 1), 0, deposed);
            a.close();
            LeaderElection b = store.election("b", Duration.ofSeconds(5));
            b.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(b::isLeader);

            assertThatThrownBy(() -> store.plans().publish(withTenants(2, 150_000, 3).withEpoch(p1.epoch()), 1, deposed))
                    .isInstanceOf(StoreException.Fenced.class)
                    .hasMessageContaining("a no longer holds the leader lease (held by b");
            try (EtcdFleetStore fresh = fleet(prefix)) {
                assertThat(fresh.plans().current()).contains(p1);
            }
            ByteSequence chunkPrefix = ByteSequence.from("/hsdo-test/" + prefix + "/plan-chunks/", java.nio.charset.StandardCharsets.UTF_8);
            assertThat(raw.getKVClient().get(chunkPrefix, io.etcd.jetcd.options.GetOption.builder().isPrefix(true).withCountOnly(true).build())
                    .get().getCount()).isZero();
            b.close();
        }
    }

    @Test
    void writerExpectingAnOlderGenerationCannotOverwriteANewerPlan() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore a = fleet(prefix); EtcdFleetStore b = fleet(prefix)) {
            long epoch = a.plans().publish(Plans.of(1, 1), 0).epoch();
            b.plans().publish(Plans.of(2, 2).withEpoch(epoch), 1);
            assertThatThrownBy(() -> a.plans().publish(Plans.of(2, 3).withEpoch(epoch), 1))
                    .isInstanceOf(StoreException.Conflict.class)
                    .hasMessageContaining("stored generation is 2, expected 1");
            assertThatThrownBy(() -> a.plans().publish(Plans.of(1, 3), 0))
                    .isInstanceOf(StoreException.Conflict.class);
            assertThat(a.plans().current().orElseThrow().backend("app").servers()).hasSize(2);
        }
    }

    @Test
    void watcherKeepsItsLastPlanWhileEtcdIsDownAndCatchesUpWhenItReturns() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore writer = fleet(prefix); EtcdFleetStore reader = fleet(prefix)) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            reader.plans().watch(p -> seen.add(p.generation()));
            long epoch = writer.plans().publish(Plans.of(1, 3), 0).epoch();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(1L));

            etcd.kill(0);
            assertThatThrownBy(() -> writer.plans().publish(Plans.of(2, 4).withEpoch(epoch), 1)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("etcd");
            etcd.restart(0);

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> {
                        writer.plans().publish(Plans.of(2, 4).withEpoch(epoch), 1);
                        return true;
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(2L));
            assertThat(seen).containsExactly(1L, 2L);
        }
    }

    @Test
    void oneCandidateLeadsAndAResignationHandsOverAtOnce() {
        String prefix = freshPrefix();
        try (EtcdFleetStore store = fleet(prefix)) {
            LeaderElection a = store.election("a", Duration.ofSeconds(2));
            LeaderElection b = store.election("b", Duration.ofSeconds(2));
            a.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
            b.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(() -> "a".equals(b.leaderId()));
            assertThat(b.isLeader()).isFalse();

            long resigned = System.nanoTime();
            a.close();
            await().atMost(Duration.ofSeconds(2)).until(b::isLeader);
            assertThat(Duration.ofNanos(System.nanoTime() - resigned)).isLessThan(Duration.ofSeconds(1));
            b.close();
        }
    }

    @Test
    void aLeaderThatVanishesWithoutResigningIsReplacedWithinTheLeaseTtl() {
        String prefix = freshPrefix();
        Duration ttl = Duration.ofSeconds(2);
        try (EtcdFleetStore survivor = fleet(prefix)) {
            Client doomed = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
            EtcdLeaderElection a = new EtcdLeaderElection(doomed,
                    EtcdFleetStore.bytes("/hsdo-test/" + prefix + "/leader"), "a", ttl, Duration.ofSeconds(1));
            a.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
            LeaderElection b = survivor.election("b", ttl);
            b.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(() -> "a".equals(b.leaderId()));

            // A crash: the connection goes first, so no resignation and no lease revocation reach etcd.
            long crashed = System.nanoTime();
            doomed.close();
            await().atMost(ttl.plusSeconds(2)).until(b::isLeader);
            // etcd looks for expired leases every 500 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - crashed)).isLessThanOrEqualTo(ttl.plusSeconds(1));
            assertThat(a.isLeader()).as("the cut-off leader stepped down on its own").isFalse();
            a.close();
        }
    }

    @Test
    void agentReportsAppearAndExpireOnceNoLongerRenewed() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore store = fleet(prefix)) {
            AgentRegistry one = store.agents(Duration.ofSeconds(2));
            AgentRegistry two = store.agents(Duration.ofSeconds(30));
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            one.report(new AgentReport("agent-1", "a", "2.6.12", 3, 3, now, null, now));
            two.report(new AgentReport("agent-2", "b", "2.6.12", 3, 2, now, "boom", now));
            assertThat(store.agents(Duration.ofSeconds(2)).agents()).extracting(AgentReport::agentId)
                    .containsExactly("agent-1", "agent-2");
            assertThat(store.agents(Duration.ofSeconds(2)).agents().get(1))
                    .isEqualTo(new AgentReport("agent-2", "b", "2.6.12", 3, 2, now, "boom", now));
            one.close();
            await().atMost(Duration.ofSeconds(6)).until(() -> store.agents(Duration.ofSeconds(2)).agents().size() == 1);
        }
    }

    @Test
    void aDeposedLeaderCannotPublishEvenWithTheRightGenerationNorAfterWinningAgain() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore store = fleet(prefix)) {
            LeaderElection a = store.election("a", Duration.ofSeconds(2));
            a.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
            Fence first = a.fence();
            Plan p1 = store.plans().publish(Plans.of(1, 1), 0, first);

            // a is deposed (here: it resigned) and b leads; a still holds its old fence, and the right generation.
            a.close();
            LeaderElection b = store.election("b", Duration.ofSeconds(2));
            b.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
            assertThatThrownBy(() -> store.plans().publish(Plans.of(2, 2).withEpoch(p1.epoch()), 1, first))
                    .isInstanceOf(StoreException.Fenced.class)
                    .hasMessageContaining("a no longer holds the leader lease (held by b");

            // a leads again later: the fence of its former term is still refused, its new one is not.
            b.close();
            LeaderElection again = store.election("a", Duration.ofSeconds(2));
            again.start(() -> {});
            await().atMost(Duration.ofSeconds(5)).until(again::isLeader);
            assertThat(again.fence()).isNotEqualTo(first);
            assertThatThrownBy(() -> store.plans().publish(Plans.of(2, 2).withEpoch(p1.epoch()), 1, first))
                    .isInstanceOf(StoreException.Fenced.class);
            assertThat(store.plans().current()).contains(p1);
            Plan p2 = store.plans().publish(Plans.of(2, 2).withEpoch(p1.epoch()), 1, again.fence());
            assertThat(store.plans().current()).contains(p2);
            again.close();
        }
    }

    @Test
    void aWriteIntoAWipedPrefixStartsALaterEpochThatWatchersFollowFromGenerationOne() throws Exception {
        String prefix = freshPrefix();
        try (EtcdFleetStore writer = fleet(prefix); EtcdFleetStore reader = fleet(prefix);
             Client admin = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
            ByteSequence all = EtcdFleetStore.bytes("/hsdo-test/" + prefix + "/");
            WipedStoreCheck.aWriteIntoTheWipedStoreStartsALaterEpochThatWatchersFollow(writer.plans(), reader.plans(),
                    () -> admin.getKVClient().delete(all, DeleteOption.builder().isPrefix(true).build()).get());
        }
    }

    @Test
    void openingWhileEtcdIsUnreachableSucceedsAndEachCallFailsSayingSo() {
        int nobody = dev.hsdo.testing.Ports.free();
        try (EtcdFleetStore store = new EtcdFleetStore(List.of("http://127.0.0.1:" + nobody), "/hsdo-test/down",
                Duration.ofSeconds(1), Duration.ofMillis(200))) {
            assertThatThrownBy(() -> store.plans().current()).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("etcd: read /hsdo-test/down/generation");
        }
    }
}
