package dev.hsdo.store.dynamodb;

import dev.hsdo.model.Plan;
import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.Fence;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.StoreException;
import dev.hsdo.store.WipedStoreCheck;
import dev.hsdo.testing.DynamoLocal;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Plans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The DynamoDB store against DynamoDB Local, stopped and started where the test says so. */
class DynamoFleetStoreIT {
    private static final String TABLE = "hsdo-store-it";

    @TempDir
    static Path dir;
    static DynamoLocal dynamo;
    private static final AtomicInteger fleets = new AtomicInteger();

    @BeforeAll
    static void startDynamo() {
        dynamo = DynamoLocal.start(dir);
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    private static DynamoFleetStore fleet(String prefix, Clock clock, int chunkSize) throws StoreException {
        return new DynamoFleetStore(TABLE, "eu-west-1", dynamo.endpoint(), "/it/" + prefix, Duration.ofMillis(100),
                Duration.ofSeconds(2), clock, chunkSize);
    }

    private static DynamoFleetStore fleet(String prefix) throws StoreException {
        return fleet(prefix, Clock.systemUTC(), DynamoFleetStore.CHUNK_SIZE);
    }

    private static String freshPrefix() {
        return "f" + fleets.incrementAndGet();
    }

    private static final Duration TTL = Duration.ofSeconds(10);

    /** Candidate {@code id} with a lease of {@link #TTL}, driven by the test's {@code tick()} calls. */
    private static DynamoLeaderElection candidate(DynamoFleetStore store, String id) {
        return (DynamoLeaderElection) store.election(id, TTL);
    }

    private static String lastPrefix() {
        return "f" + fleets.get();
    }

    /** How many chunk items the table holds for {@code prefix}. */
    private static int chunkItems(DynamoFleetStore store, String prefix) {
        return store.dynamo().client.queryPaginator(QueryRequest.builder().tableName(TABLE).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :c)")
                .expressionAttributeValues(Map.of(":pk", Dynamo.s("/it/" + prefix + "/plan"), ":c", Dynamo.s("chunk/")))
                .build()).items().stream().toList().size();
    }

    @Test
    void tenThousandServerPlanLargerThanAnItemReadsBackWholeInOneOrManyChunks() throws Exception {
        Plan big = Plans.of(1, 10_000);
        assertThat(PlanJson.write(big).length()).as("the plan's JSON is far beyond one 400 KB item").isGreaterThan(4_000_000);
        String prefix = freshPrefix();
        try (DynamoFleetStore writer = fleet(prefix); DynamoFleetStore reader = fleet(prefix)) {
            Plan stored = writer.plans().publish(big, 0);
            assertThat(reader.plans().current()).contains(stored);
        }
        String chunked = freshPrefix();
        try (DynamoFleetStore writer = fleet(chunked, Clock.systemUTC(), 16 * 1024);
             DynamoFleetStore reader = fleet(chunked)) {
            List<Plan> seen = new CopyOnWriteArrayList<>();
            reader.plans().watch(seen::add);
            Plan stored = writer.plans().publish(big, 0);
            assertThat(chunkItems(writer, chunked)).isGreaterThan(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
            assertThat(seen).containsExactly(stored);

            Plan next = Plans.of(2, 9_999).withEpoch(stored.epoch());
            writer.plans().publish(next, 1);
            assertThat(reader.plans().current()).contains(next);
            assertThat(chunkItems(writer, chunked)).as("the replaced generation's chunks are gone")
                    .isEqualTo((PlanJson.bytes(next).length + 16 * 1024 - 1) / (16 * 1024));
        }
    }

    @Test
    void writerExpectingAnOlderGenerationCannotOverwriteANewerPlanNorDamageIt() throws Exception {
        String prefix = freshPrefix();
        try (DynamoFleetStore a = fleet(prefix, Clock.systemUTC(), 2048); DynamoFleetStore b = fleet(prefix, Clock.systemUTC(), 2048)) {
            long epoch = a.plans().publish(Plans.of(1, 10), 0).epoch();
            Plan second = b.plans().publish(Plans.of(2, 200).withEpoch(epoch), 1);
            // a lost the race for generation 2: its chunks go, b's stay readable.
            assertThatThrownBy(() -> a.plans().publish(Plans.of(2, 300).withEpoch(epoch), 1))
                    .isInstanceOf(StoreException.Conflict.class)
                    .hasMessageContaining("stored generation is 2, expected 1");
            assertThatThrownBy(() -> a.plans().publish(Plans.of(1, 3), 0)).isInstanceOf(StoreException.Conflict.class);
            assertThat(fleet(prefix).plans().current()).contains(second);
        }
    }

    @Test
    void watcherKeepsItsLastPlanWhileDynamoIsDownAndCatchesUpWhenItReturns() throws Exception {
        String prefix = freshPrefix();
        try (DynamoFleetStore writer = fleet(prefix); DynamoFleetStore reader = fleet(prefix)) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            reader.plans().watch(p -> seen.add(p.generation()));
            long epoch = writer.plans().publish(Plans.of(1, 3), 0).epoch();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(1L));

            dynamo.stop();
            assertThatThrownBy(() -> writer.plans().publish(Plans.of(2, 4).withEpoch(epoch), 1)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("dynamodb " + TABLE);
            dynamo.startServer();
            writer.plans().publish(Plans.of(2, 4).withEpoch(epoch), 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(2L));
            assertThat(seen).containsExactly(1L, 2L);
        }
    }

    @Test
    void lockItemElectsOneLeaderAndPassesToAnotherOnlyOnceItExpired() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (DynamoFleetStore store = fleet(freshPrefix(), clock, DynamoFleetStore.CHUNK_SIZE)) {
            DynamoLeaderElection a = candidate(store, "a");
            DynamoLeaderElection b = candidate(store, "b");
            a.tick();
            b.tick();
            assertThat(a.isLeader()).isTrue();
            assertThat(b.isLeader()).isFalse();
            assertThat(b.leaderId()).isEqualTo("a");

            // a renews on time: b still cannot take over.
            clock.advance(Duration.ofSeconds(6));
            a.tick();
            clock.advance(Duration.ofSeconds(6));
            b.tick();
            assertThat(b.isLeader()).isFalse();

            // a falls silent: once its lock expired b takes it, and a learns it lost.
            clock.advance(Duration.ofSeconds(5));
            b.tick();
            assertThat(b.isLeader()).isTrue();
            a.tick();
            assertThat(a.isLeader()).isFalse();
            assertThat(a.leaderId()).isEqualTo("b");

            // A resignation frees the lock at once.
            b.close();
            a.tick();
            assertThat(a.isLeader()).isTrue();
        }
    }

    @Test
    void agentReportsAreListedUntilTheyExpire() throws Exception {
        // The real time: DynamoDB Local's TTL sweeper deletes items whose ttl passed in real time.
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        try (DynamoFleetStore store = fleet(freshPrefix(), clock, DynamoFleetStore.CHUNK_SIZE)) {
            AgentRegistry registry = store.agents(Duration.ofSeconds(15));
            Instant now = clock.instant();
            registry.report(new AgentReport("b", "z2", "2.6.12", 4, 3, now, "boom", now));
            clock.advance(Duration.ofSeconds(10));
            registry.report(new AgentReport("a", "z1", "2.6.12", 4, 4, now, null, clock.instant()));
            assertThat(registry.agents()).extracting(AgentReport::agentId).containsExactly("a", "b");
            assertThat(registry.agents().get(1)).isEqualTo(new AgentReport("b", "z2", "2.6.12", 4, 3, now, "boom", now));
            clock.advance(Duration.ofSeconds(6));
            assertThat(registry.agents()).extracting(AgentReport::agentId).containsExactly("a");
        }
    }

    @Test
    void aLeaderWhoseLockExpiredOrWasTakenCannotPublishEvenWithTheRightGeneration() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (DynamoFleetStore store = fleet(freshPrefix(), clock, DynamoFleetStore.CHUNK_SIZE)) {
            DynamoLeaderElection a = candidate(store, "a");
            DynamoLeaderElection b = candidate(store, "b");
            a.tick();
            Plan p1 = store.plans().publish(Plans.of(1, 1), 0, a.fence());

            // a falls silent past its lock's expiry: it still believes it leads, the store refuses it.
            clock.advance(TTL.plusSeconds(1));
            assertThat(a.isLeader()).as("no renewal round ran to tell it").isTrue();
            Fence stale = a.fence();
            assertThatThrownBy(() -> store.plans().publish(Plans.of(2, 2).withEpoch(p1.epoch()), 1, stale))
                    .isInstanceOf(StoreException.Fenced.class)
                    .hasMessageContaining("a no longer holds the leader lock");

            // b takes the lock: a's write is still refused, b's goes through.
            b.tick();
            assertThat(b.isLeader()).isTrue();
            assertThatThrownBy(() -> store.plans().publish(Plans.of(2, 2).withEpoch(p1.epoch()), 1, stale))
                    .isInstanceOf(StoreException.Fenced.class);
            assertThat(store.plans().current()).contains(p1);
            Plan p2 = store.plans().publish(Plans.of(2, 3).withEpoch(p1.epoch()), 1, b.fence());
            assertThat(store.plans().current()).contains(p2);
            assertThat(chunkItems(store, lastPrefix())).as("the refused writes left no chunks").isEqualTo(1);

            // Told of the refusal, a steps down at once.
            a.lost(stale);
            assertThat(a.isLeader()).isFalse();
        }
    }

    @Test
    void aWriteIntoAWipedTableStartsALaterEpochThatWatchersFollowFromGenerationOne() throws Exception {
        String prefix = freshPrefix();
        try (DynamoFleetStore writer = fleet(prefix); DynamoFleetStore reader = fleet(prefix)) {
            // Every item of the fleet goes, as with a table emptied by hand.
            var db = writer.dynamo();
            WipedStoreCheck.aWriteIntoTheWipedStoreStartsALaterEpochThatWatchersFollow(writer.plans(), reader.plans(), () -> {
                db.client.scanPaginator(b -> b.tableName(TABLE)).items().stream()
                        .filter(item -> item.get(Dynamo.PK).s().startsWith("/it/" + prefix + "/"))
                        .forEach(item -> db.client.deleteItem(b -> b.tableName(TABLE)
                                .key(Dynamo.key(item.get(Dynamo.PK).s(), item.get(Dynamo.SK).s()))));
                return null;
            });
        }
    }

    @Test
    void theTableIsCreatedWithTimeToLiveOnTheReportsExpiry() throws Exception {
        String table = "hsdo-ttl-it";
        try (DynamoFleetStore store = new DynamoFleetStore(table, "eu-west-1", dynamo.endpoint(), "/it/ttl",
                Duration.ofMillis(100), Duration.ofSeconds(2), Clock.systemUTC())) {
            store.agents(Duration.ofSeconds(15)).report(new AgentReport("a", "z1", "2.6.12", 1, 1, Instant.EPOCH, null, Instant.EPOCH));
            var ttl = store.dynamo().client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
            assertThat(ttl.timeToLiveStatusAsString()).isIn("ENABLED", "ENABLING");
            assertThat(ttl.attributeName()).isEqualTo("ttl");
        }
    }

    @Test
    void openingWhileDynamoIsDownSucceedsCallsFailSayingSoAndWorkOnceItAnswers() throws Exception {
        String table = "hsdo-late-it";
        dynamo.stop();
        try (DynamoFleetStore store = new DynamoFleetStore(table, "eu-west-1", dynamo.endpoint(), "/it/late",
                Duration.ofMillis(100), Duration.ofSeconds(1), Clock.systemUTC())) {
            try {
                assertThatThrownBy(() -> store.plans().current()).isInstanceOf(StoreException.class)
                        .hasMessageStartingWith("dynamodb " + table + ": describe table: ");
            } finally {
                dynamo.startServer();
            }
            assertThat(store.plans().current()).isEmpty();
            assertThat(store.plans().publish(Plans.of(1, 1), 0).generation()).isEqualTo(1);
        }
    }
}
