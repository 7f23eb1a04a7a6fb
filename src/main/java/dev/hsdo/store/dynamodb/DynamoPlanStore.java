package dev.hsdo.store.dynamodb;

import dev.hsdo.model.Plan;
import dev.hsdo.store.PlanFeed;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.PlanStore;
import dev.hsdo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.io.ByteArrayOutputStream;
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
 * never touch each other's chunks) and a small head item points at the write in force. A publish writes the chunks first, then switches the head with a conditional write on the
 * expected generation; readers follow the head, so they see the old plan or the new one, never a mix.
 * Chunks of the replaced generation are deleted afterwards: a reader that read the old head just before
 * finds them gone and reads the head again. Watchers poll the head with consistent reads.
 */
final class DynamoPlanStore implements PlanStore {
    private static final Logger log = LoggerFactory.getLogger(DynamoPlanStore.class);
    private static final String HEAD = "head";
    private static final int READ_ATTEMPTS = 3;

    private final Dynamo db;
    private final String pk;
    private final int chunkSize;
    private final Duration pollInterval;
    private final PlanFeed feed = new PlanFeed();
    // guarded by this: the plan last read or written, so an unchanged head costs one small read; the poller
    private Plan cached;
    private ScheduledExecutorService poller;

    DynamoPlanStore(Dynamo db, String pk, int chunkSize, Duration pollInterval) {
        if (chunkSize < 1024 || chunkSize > 380_000)
            throw new IllegalArgumentException("chunk size must be 1 KiB..380 000 bytes, got " + chunkSize);
        this.db = db;
        this.pk = pk;
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
            synchronized (this) {
                if (cached != null && cached.generation() == generation) return Optional.of(cached);
            }
            Plan plan = readChunks(generation, head.get("write").s(), (int) n(head, "chunks"));
            if (plan != null) {
                synchronized (this) {
                    if (cached == null || cached.generation() < plan.generation()) cached = plan;
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
    public void publish(Plan plan, long expectedGeneration) throws StoreException {
        byte[] data = PlanJson.bytes(plan);
        int chunks = Math.max(1, (data.length + chunkSize - 1) / chunkSize);
        String write = UUID.randomUUID().toString();
        String prefix = chunkPrefix(plan.generation(), write);
        for (int i = 0; i < chunks; i++) {
            int from = i * chunkSize;
            Map<String, AttributeValue> item = Map.of(PK, s(pk), SK, s(prefix + String.format(Locale.ROOT, "%05d", i)),
                    "body", AttributeValue.fromB(SdkBytes.fromByteArray(
                            java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + chunkSize)))));
            db.call("write plan " + plan.generation() + " chunk " + i,
                    () -> db.client.putItem(PutItemRequest.builder().tableName(db.table).item(item).build()));
        }
        Map<String, AttributeValue> head = new HashMap<>(Map.of(PK, s(pk), SK, s(HEAD), "gen", n(plan.generation()),
                "chunks", n(chunks), "write", s(write), "digest", s(plan.digest()), "bytes", n(data.length)));
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(db.table).item(head).returnValues(ReturnValue.ALL_OLD);
        if (expectedGeneration == 0) put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
        else put.conditionExpression("#gen = :expected").expressionAttributeNames(Map.of("#gen", "gen"))
                .expressionAttributeValues(Map.of(":expected", n(expectedGeneration)));
        Map<String, AttributeValue> old;
        try {
            old = db.call("publish plan " + plan.generation(), () -> db.client.putItem(put.build()).attributes());
        } catch (StoreException e) {
            deleteChunks(prefix, chunks);
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                long stored = n(db.get(pk, HEAD), "gen");
                throw new StoreException.Conflict("dynamodb " + db.table + " " + pk + ": stored generation is " + stored
                        + ", expected " + expectedGeneration + "; plan " + plan.generation() + " not written");
            }
            throw e;
        }
        synchronized (this) {
            cached = plan;
        }
        if (old != null && !old.isEmpty())
            deleteChunks(chunkPrefix(n(old, "gen"), old.get("write").s()), (int) n(old, "chunks"));
        feed.deliver(plan);
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
