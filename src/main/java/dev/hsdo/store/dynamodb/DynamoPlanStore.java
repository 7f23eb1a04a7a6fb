package dev.hsdo.store.dynamodb;

import dev.hsdo.model.Plan;
import dev.hsdo.store.Fence;
import dev.hsdo.store.PlanFeed;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.PlanStore;
import dev.hsdo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.hsdo.store.dynamodb.Dynamo.PK;
import static dev.hsdo.store.dynamodb.Dynamo.SK;
import static dev.hsdo.store.dynamodb.Dynamo.n;
import static dev.hsdo.store.dynamodb.Dynamo.s;

/**
 * The plan in DynamoDB. A plan can be larger than one 400 KB item, so it is stored as chunk items under
 * its own generation and write ({@code chunk/GENERATION/WRITE/INDEX}; two writers racing for one generation
 * never touch each other's chunks) and a small head item points at the write in force. A publish writes the
 * chunks first, then switches the head with a conditional write on the expected generation, fenced by a
 * transaction that also checks the leader's lock item; readers follow the head, so they see the old plan
 * or the new one, never a mix.
 * Chunks of the replaced generation are deleted afterwards: a reader that read the old head just before
 * finds them gone and reads the head again. Watchers poll the head with consistent reads.
 */
final class DynamoPlanStore implements PlanStore {
    private static final Logger log = LoggerFactory.getLogger(DynamoPlanStore.class);
    private static final String HEAD = "head";
    private static final int READ_ATTEMPTS = 3;

    private final Dynamo db;
    private final String pk;
    private final String lockPk;
    private final Clock clock;
    private final int chunkSize;
    private final Duration pollInterval;
    private final PlanFeed feed = new PlanFeed();
    // guarded by this: the plan last read or written and the write that stored it (unique per publish, so a head
    // pointing at it means an unchanged plan whatever its generation and epoch): an unchanged head costs one
    // small read; the poller
    private Plan cached;
    private String cachedWrite;
    private ScheduledExecutorService poller;

    DynamoPlanStore(Dynamo db, String pk, String lockPk, int chunkSize, Duration pollInterval, Clock clock) {
        if (chunkSize < 1024 || chunkSize > 380_000)
            throw new IllegalArgumentException("chunk size must be 1 KiB..380 000 bytes, got " + chunkSize);
        this.db = db;
        this.pk = pk;
        this.lockPk = lockPk;
        this.clock = clock;
        this.chunkSize = chunkSize;
        this.pollInterval = pollInterval;
    }

    private static String chunkPrefix(long generation, String write) {
        return String.format(Locale.ROOT, "chunk/%019d/%s/", generation, write);
    }

    @Override
    public Optional<Plan> current() throws StoreException {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> head = db.get(pk, HEAD);
            if (head.isEmpty()) return Optional.empty();
            long generation = n(head, "gen");
            String write = head.get("write").s();
            synchronized (this) {
                if (cached != null && write.equals(cachedWrite)) return Optional.of(cached);
            }
            Plan plan = readChunks(generation, write, (int) n(head, "chunks"));
            if (plan != null) {
                synchronized (this) {
                    cached = plan;
                    cachedWrite = write;
                }
                return Optional.of(plan);
            }
            // The chunks went with a newer publish between our two reads: follow the head again.
            if (attempt == READ_ATTEMPTS)
                throw new StoreException("dynamodb " + db.table + ": plan " + generation + " changed " + attempt
                        + " times while being read");
        }
    }

    /** The plan in the chunks of {@code generation}, or null when some are missing. */
    private Plan readChunks(long generation, String write, int chunks) throws StoreException {
        String prefix = chunkPrefix(generation, write);
        QueryRequest q = QueryRequest.builder().tableName(db.table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(prefix)))
                .build();
        List<Map<String, AttributeValue>> items = db.call("read plan " + generation,
                () -> db.client.queryPaginator(q).items().stream().toList());
        if (items.size() != chunks) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map<String, AttributeValue> item : items) out.writeBytes(item.get("body").b().asByteArray());
        Plan plan = PlanJson.fromBytes(out.toByteArray(), "dynamodb " + db.table + " " + pk + " " + prefix);
        if (plan.generation() != generation)
            throw new StoreException("dynamodb " + db.table + ": head says generation " + generation + ", its chunks hold "
                    + plan.generation());
        return plan;
    }

    @Override
    public Plan publish(Plan plan, long expectedGeneration, Fence fence) throws StoreException {
        // Into an empty store (first write, or its items were deleted) the plan starts a new epoch.
        Plan stored = expectedGeneration == 0 ? plan.withEpoch(PlanStore.newEpoch(clock.millis(), plan.epoch())) : plan;
        // What the write replaces: its chunks go once the head no longer points at them.
        Map<String, AttributeValue> old = db.get(pk, HEAD);
        if (n(old, "gen") != expectedGeneration || (!old.isEmpty() && n(old, "epoch") != stored.epoch()))
            throw conflict(stored, expectedGeneration, old);
        byte[] data = PlanJson.bytes(stored);
        int chunks = Math.max(1, (data.length + chunkSize - 1) / chunkSize);
        String write = UUID.randomUUID().toString();
        String prefix = chunkPrefix(stored.generation(), write);
        for (int i = 0; i < chunks; i++) {
            int from = i * chunkSize;
            Map<String, AttributeValue> item = Map.of(PK, s(pk), SK, s(prefix + String.format(Locale.ROOT, "%05d", i)),
                    "body", AttributeValue.fromB(SdkBytes.fromByteArray(
                            java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + chunkSize)))));
            db.call("write plan " + stored.generation() + " chunk " + i,
                    () -> db.client.putItem(PutItemRequest.builder().tableName(db.table).item(item).build()));
        }
        try {
            switchHead(stored, expectedGeneration, fence, Map.of(PK, s(pk), SK, s(HEAD), "gen", n(stored.generation()),
                    "epoch", n(stored.epoch()), "chunks", n(chunks), "write", s(write), "digest", s(stored.digest()),
                    "bytes", n(data.length)));
        } catch (StoreException.Conflict | StoreException.Fenced e) {
            // Refused for sure: nothing points at these chunks. (After an unanswered write they stay: the head
            // may point at them.)
            deleteChunks(prefix, chunks);
            throw e;
        }
        synchronized (this) {
            cached = stored;
            cachedWrite = write;
        }
        if (!old.isEmpty()) deleteChunks(chunkPrefix(n(old, "gen"), old.get("write").s()), (int) n(old, "chunks"));
        feed.deliver(stored);
        return stored;
    }

    /**
     * Points the head at the new chunks if the stored generation is still {@code expected}: a conditional put,
     * or with a fence a transaction that also checks the lock item is the fence holder's and unexpired.
     */
    private void switchHead(Plan plan, long expected, Fence fence, Map<String, AttributeValue> head) throws StoreException {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String condition;
        if (expected == 0) {
            condition = "attribute_not_exists(#pk)";
            names.put("#pk", PK);
        } else {
            // A head written before epochs existed has none: its plans are of epoch 0.
            condition = "#gen = :expected AND " + (plan.epoch() == 0 ? "attribute_not_exists(#epoch)" : "#epoch = :epoch");
            names.put("#gen", "gen");
            names.put("#epoch", "epoch");
            values.put(":expected", n(expected));
            if (plan.epoch() != 0) values.put(":epoch", n(plan.epoch()));
        }
        String what = "publish plan " + plan.generation();
        try {
            if (fence.none()) {
                db.call(what, () -> db.client.putItem(PutItemRequest.builder().tableName(db.table).item(head)
                        .conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values.isEmpty() ? null : values).build()));
                return;
            }
            Put put = Put.builder().tableName(db.table).item(head).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values.isEmpty() ? null : values).build();
            ConditionCheck lock = ConditionCheck.builder().tableName(db.table).key(Dynamo.key(lockPk, DynamoLeaderElection.LOCK))
                    .conditionExpression("#holder = :me AND #exp > :now")
                    .expressionAttributeNames(Map.of("#holder", "holder", "#exp", "expiresAt"))
                    .expressionAttributeValues(Map.of(":me", s(fence.holder()), ":now", n(clock.millis()))).build();
            db.call(what, () -> db.client.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                    TransactWriteItem.builder().put(put).build(), TransactWriteItem.builder().conditionCheck(lock).build()).build()));
        } catch (StoreException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) throw conflict(plan, expected, db.get(pk, HEAD));
            if (e.getCause() instanceof TransactionCanceledException t && t.cancellationReasons().size() == 2) {
                if (failed(t.cancellationReasons().get(1)))
                    throw new StoreException.Fenced("dynamodb " + db.table + " " + lockPk + ": " + fence.holder()
                            + " no longer holds the leader lock (taken over or expired); plan " + plan.generation() + " not written");
                if (failed(t.cancellationReasons().getFirst()))
                    throw conflict(plan, expected, db.get(pk, HEAD));
            }
            throw e;
        }
    }

    private static boolean failed(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    private StoreException.Conflict conflict(Plan plan, long expected, Map<String, AttributeValue> head) {
        long epoch = n(head, "epoch");
        return new StoreException.Conflict("dynamodb " + db.table + " " + pk + ": " + (head.isEmpty() ? "the store holds no plan"
                : "stored generation is " + n(head, "gen") + (epoch == plan.epoch() ? "" : " of epoch " + epoch)) + ", expected " + expected
                + (expected == 0 ? "" : " of epoch " + plan.epoch()) + "; plan " + plan.generation() + " not written");
    }

    private void deleteChunks(String prefix, int chunks) {
        for (int i = 0; i < chunks; i++) {
            String sk = prefix + String.format(Locale.ROOT, "%05d", i);
            try {
                db.call("delete " + sk, () -> db.client.deleteItem(DeleteItemRequest.builder().tableName(db.table)
                        .key(Dynamo.key(pk, sk)).build()));
            } catch (StoreException e) {
                // Left-over chunks of an old generation are never read again; they only take space.
                log.warn("{}", e.getMessage());
            }
        }
    }

    @Override
    public synchronized void watch(Consumer<Plan> listener) {
        feed.add(listener);
        if (poller != null) return;
        poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("dynamodb-plan-poll").unstarted(r));
        poller.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            current().ifPresent(feed::deliver);
        } catch (StoreException e) {
            log.debug("{}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("polling the plan failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) poller.shutdownNow();
    }
}
