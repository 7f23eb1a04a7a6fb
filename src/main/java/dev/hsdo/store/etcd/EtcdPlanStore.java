package dev.hsdo.store.etcd;

import dev.hsdo.model.Plan;
import dev.hsdo.store.Fence;
import dev.hsdo.store.PlanFeed;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.PlanStore;
import dev.hsdo.store.StoreException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.hsdo.store.etcd.EtcdFleetStore.await;
import static dev.hsdo.store.etcd.EtcdFleetStore.bytes;

/**
 * The plan in etcd. A publish is one transaction that writes the plan and its generation only if the
 * stored generation is still the expected one and, when fenced, the leader key is still the one the
 * publisher created (its value and create revision: a key re-created after its lease expired differs);
 * the plan is one key, so a reader gets it whole. A plan too large for one etcd request is written as chunks
 * first and the plan key then holds only their head ({@link EtcdPlanChunks}); the chunks of the plan it replaced
 * are deleted once the new head is in place. Watchers
 * get plans from an etcd watch, and from a periodic re-read that catches up after the watch stream was
 * lost (a node down, the whole cluster down for a while).
 */
final class EtcdPlanStore implements PlanStore {
    private static final Logger log = LoggerFactory.getLogger(EtcdPlanStore.class);
    /** Reads of a chunked plan whose chunks went with a newer publish before the head is given up on. */
    private static final int READ_ATTEMPTS = 3;

    private final Client client;
    private final ByteSequence planKey;
    private final ByteSequence generationKey;
    private final ByteSequence leaderKey;
    private final ByteSequence epochKey;
    private final Duration timeout;
    private final Clock clock;
    private final Duration resyncPeriod;
    private final PlanFeed feed = new PlanFeed();
    private final EtcdPlanChunks chunks;
    // guarded by this: the plan last read or written and the revision it was written at (the plan and generation
    // keys are written in one transaction, so they share it: an unchanged revision means an unchanged plan,
    // whatever the generation and epoch); the watch, started on the first watch() so that a
    // publisher-only store watches nothing
    private Plan cached;
    private long cachedRevision;
    private Watch.Watcher watcher;
    private ScheduledExecutorService resync;
    /** Re-reads while the watch works: one in this many resync periods. */
    private static final int SAFETY_NET_TICKS = 15;
    // set once the watch reported an error (it may not deliver any more): from then on every period re-reads
    private volatile boolean watchFailed;
    // confined to the resync thread: periods since the last re-read
    private int quietTicks;

    EtcdPlanStore(Client client, ByteSequence planKey, ByteSequence generationKey, ByteSequence epochKey,
                  ByteSequence leaderKey, Duration timeout, Duration resyncPeriod, Clock clock) {
        this.epochKey = epochKey;
        this.client = client;
        this.planKey = planKey;
        this.generationKey = generationKey;
        this.leaderKey = leaderKey;
        this.timeout = timeout;
        this.clock = clock;
        this.resyncPeriod = resyncPeriod;
        this.chunks = new EtcdPlanChunks(client, planKey.toString(StandardCharsets.UTF_8) + "-chunks/", timeout);
    }

    /**
     * The stored plan. The small generation key is read first, and the plan itself only when it was written
     * since the plan last read: followers and re-reads poll this every second.
     */
    @Override
    public Optional<Plan> current() throws StoreException {
        for (int attempt = 1; ; attempt++) {
            var generation = await(() -> client.getKVClient().get(generationKey), timeout, "read " + generationKey);
            if (generation.getKvs().isEmpty()) return Optional.empty();
            long revision = generation.getKvs().getFirst().getModRevision();
            synchronized (this) {
                if (cached != null && cachedRevision == revision) return Optional.of(cached);
            }
            var got = await(() -> client.getKVClient().get(planKey), timeout, "read " + planKey);
            if (got.getKvs().isEmpty()) return Optional.empty();
            Plan plan = decode(got.getKvs().getFirst());
            if (plan != null) {
                remember(plan, got.getKvs().getFirst().getModRevision());
                return Optional.of(plan);
            }
            if (attempt == READ_ATTEMPTS)
                throw new StoreException("etcd " + planKey + ": the plan changed " + attempt + " times while being read");
        }
    }

    private synchronized void remember(Plan plan, long revision) {
        cached = plan;
        cachedRevision = revision;
    }

    /** The plan in a plan key's value, or null when it names chunks that a newer publish has deleted meanwhile. */
    private Plan decode(KeyValue kv) throws StoreException {
        byte[] data = kv.getValue().getBytes();
        EtcdPlanChunks.Head head = EtcdPlanChunks.Head.parse(data);
        if (head != null && (data = chunks.read(head)) == null) return null;
        return PlanJson.fromBytes(data, "etcd " + planKey + " (revision " + kv.getModRevision() + ")");
    }

    @Override
    public Plan publish(Plan plan, long expectedGeneration, Fence fence) throws StoreException {
        // Into an empty store (first write, or the prefix was wiped) the plan starts a new epoch.
        Plan stored = expectedGeneration == 0 ? plan.withEpoch(PlanStore.newEpoch(clock.millis(), plan.epoch())) : plan;
        byte[] data = PlanJson.bytes(stored);
        // Too large for the one transaction: the chunks go first, each in its own request, and the fenced
        // transaction below writes only their head.
        EtcdPlanChunks.Head head = data.length > EtcdPlanChunks.CHUNK_BYTES ? chunks.write(stored.generation(), data) : null;
        ByteSequence value = ByteSequence.from(head == null ? data : head.bytes());
        List<Cmp> conditions = new ArrayList<>();
        if (expectedGeneration == 0) {
            conditions.add(new Cmp(generationKey, Cmp.Op.EQUAL, CmpTarget.version(0)));
        } else {
            conditions.add(new Cmp(generationKey, Cmp.Op.EQUAL, CmpTarget.value(bytes(Long.toString(expectedGeneration)))));
            // A store written before epochs existed has no epoch key: its plans are of epoch 0.
            conditions.add(stored.epoch() == 0 ? new Cmp(epochKey, Cmp.Op.EQUAL, CmpTarget.version(0))
                    : new Cmp(epochKey, Cmp.Op.EQUAL, CmpTarget.value(bytes(Long.toString(stored.epoch())))));
        }
        if (!fence.none()) {
            conditions.add(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.value(bytes(fence.holder()))));
            conditions.add(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.createRevision(fence.token())));
        }
        TxnResponse r = await(() -> client.getKVClient().txn()
                .If(conditions.toArray(Cmp[]::new))
                .Then(Op.put(planKey, value, PutOption.builder().withPrevKV().build()),
                        Op.put(generationKey, bytes(Long.toString(stored.generation())), PutOption.DEFAULT),
                        Op.put(epochKey, bytes(Long.toString(stored.epoch())), PutOption.DEFAULT))
                .Else(Op.get(generationKey, GetOption.DEFAULT), Op.get(leaderKey, GetOption.DEFAULT),
                        Op.get(epochKey, GetOption.DEFAULT))
                .commit(), timeout, "publish plan " + stored.generation());
        if (!r.isSucceeded()) {
            KeyValue generation = only(r, 0);
            KeyValue leader = only(r, 1);
            if (!fence.none() && (leader == null || leader.getCreateRevision() != fence.token()
                    || !leader.getValue().toString(StandardCharsets.UTF_8).equals(fence.holder()))) {
                if (head != null) chunks.delete(head);
                throw new StoreException.Fenced("etcd " + leaderKey + ": " + fence.holder()
                        + " no longer holds the leader lease (" + (leader == null ? "no one holds it"
                        : "held by " + leader.getValue().toString(StandardCharsets.UTF_8) + " since revision "
                        + leader.getCreateRevision()) + "); plan " + stored.generation() + " not written");
            }
            KeyValue epoch = only(r, 2);
            String was = generation == null ? "0" : generation.getValue().toString(StandardCharsets.UTF_8);
            String wasEpoch = epoch == null ? "0" : epoch.getValue().toString(StandardCharsets.UTF_8);
            if (was.equals(Long.toString(stored.generation())) && wasEpoch.equals(Long.toString(stored.epoch()))
                    && ownEarlierAttempt(stored)) return stored;
            // Refused for sure: nothing points at these chunks.
            if (head != null) chunks.delete(head);
            throw new StoreException.Conflict("etcd " + generationKey + ": " + (generation == null ? "the store holds no plan"
                    : "stored generation is " + was + (wasEpoch.equals(Long.toString(stored.epoch())) ? "" : " of epoch " + wasEpoch))
                    + ", expected " + expectedGeneration + (expectedGeneration == 0 ? "" : " of epoch " + stored.epoch())
                    + "; plan " + stored.generation() + " not written");
        }
        remember(stored, r.getHeader().getRevision());
        feed.deliver(stored);
        deleteReplacedChunks(r, head);
        return stored;
    }

    /** Deletes the chunks of the plan this publish replaced, if it was chunked: no head names them any more. */
    private void deleteReplacedChunks(TxnResponse r, EtcdPlanChunks.Head written) {
        if (r.getPutResponses().isEmpty() || !r.getPutResponses().getFirst().hasPrevKv()) return;
        EtcdPlanChunks.Head replaced = EtcdPlanChunks.Head.parse(r.getPutResponses().getFirst().getPrevKv().getValue().getBytes());
        if (replaced != null && (written == null || !replaced.prefix().equals(written.prefix()))) chunks.delete(replaced);
    }

    /**
     * Whether {@code plan} is stored already: an earlier attempt of this publish was written and only its
     * answer was lost (see {@link EtcdFleetStore#await}).
     */
    private boolean ownEarlierAttempt(Plan plan) throws StoreException {
        var got = await(() -> client.getKVClient().get(planKey), timeout, "read " + planKey);
        if (got.getKvs().isEmpty() || !plan.equals(decode(got.getKvs().getFirst()))) return false;
        remember(plan, got.getKvs().getFirst().getModRevision());
        feed.deliver(plan);
        return true;
    }

    /** The key the {@code index}th get of a failed transaction found, or null. */
    private static KeyValue only(TxnResponse r, int index) {
        if (r.getGetResponses().size() <= index) return null;
        var kvs = r.getGetResponses().get(index).getKvs();
        return kvs.isEmpty() ? null : kvs.getFirst();
    }

    @Override
    public synchronized void watch(Consumer<Plan> listener) {
        feed.add(listener);
        if (watcher != null) return;
        long revision = 0;
        try {
            var got = await(() -> client.getKVClient().get(planKey), timeout, "read " + planKey);
            revision = got.getHeader().getRevision();
            Plan plan = got.getKvs().isEmpty() ? null : decode(got.getKvs().getFirst());
            if (plan != null) feed.deliver(plan);
        } catch (StoreException e) {
            log.warn("{}; watching from now on, catching up by re-reading", e.getMessage());
        }
        resync = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("etcd-plan-resync").unstarted(r));
        resync.scheduleWithFixedDelay(this::resync, resyncPeriod.toMillis(), resyncPeriod.toMillis(), TimeUnit.MILLISECONDS);
        WatchOption from = revision > 0 ? WatchOption.builder().withRevision(revision + 1).build() : WatchOption.DEFAULT;
        watcher = client.getWatchClient().watch(planKey, from, Watch.listener(this::onEvents,
                e -> {
                    watchFailed = true;
                    log.warn("etcd watch of {} failed: {}; re-reading every {} ms", planKey, e.getMessage(),
                            resyncPeriod.toMillis());
                }));
    }

    private void onEvents(WatchResponse response) {
        for (WatchEvent event : response.getEvents()) {
            if (event.getEventType() != WatchEvent.EventType.PUT) continue;
            KeyValue kv = event.getKeyValue();
            // A head sends us to read its chunks: not on the watch's own thread, which must not wait on etcd.
            if (EtcdPlanChunks.Head.parse(kv.getValue().getBytes()) != null) resync.execute(() -> deliver(kv));
            else deliver(kv);
        }
    }

    private void deliver(KeyValue kv) {
        try {
            Plan plan = decode(kv);
            // Null: its chunks went with a newer publish, whose own event follows.
            if (plan != null) feed.deliver(plan);
        } catch (StoreException e) {
            log.warn("{}", e.getMessage());
        }
    }

    private void resync() {
        // While the watch works it delivers every plan: the re-read is then only a safety net, run every
        // SAFETY_NET_TICKS periods, so that an idle agent does not ask etcd every second.
        if (!watchFailed && ++quietTicks < SAFETY_NET_TICKS) return;
        quietTicks = 0;
        try {
            current().ifPresent(feed::deliver);
        } catch (StoreException e) {
            log.debug("{}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) watcher.close();
        if (resync != null) resync.shutdownNow();
    }
}
