package dev.hsdo.store.etcd;

import dev.hsdo.model.Plan;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.hsdo.store.etcd.EtcdFleetStore.await;
import static dev.hsdo.store.etcd.EtcdFleetStore.bytes;

/**
 * The plan in etcd. A publish is one transaction that writes the plan and its generation only if the
 * stored generation is still the expected one; the plan is one key, so a reader gets it whole. Watchers
 * get plans from an etcd watch, and from a periodic re-read that catches up after the watch stream was
 * lost (a node down, the whole cluster down for a while).
 */
final class EtcdPlanStore implements PlanStore {
    private static final Logger log = LoggerFactory.getLogger(EtcdPlanStore.class);

    private final Client client;
    private final ByteSequence planKey;
    private final ByteSequence generationKey;
    private final Duration timeout;
    private final Duration resyncPeriod;
    private final PlanFeed feed = new PlanFeed();
    // guarded by this: started on the first watch() so that a publisher-only store watches nothing
    private Watch.Watcher watcher;
    private ScheduledExecutorService resync;

    EtcdPlanStore(Client client, ByteSequence planKey, ByteSequence generationKey, Duration timeout, Duration resyncPeriod) {
        this.client = client;
        this.planKey = planKey;
        this.generationKey = generationKey;
        this.timeout = timeout;
        this.resyncPeriod = resyncPeriod;
    }

    @Override
    public Optional<Plan> current() throws StoreException {
        var got = await(client.getKVClient().get(planKey), timeout, "read " + planKey);
        if (got.getKvs().isEmpty()) return Optional.empty();
        return Optional.of(decode(got.getKvs().getFirst()));
    }

    private Plan decode(KeyValue kv) throws StoreException {
        return PlanJson.fromBytes(kv.getValue().getBytes(), "etcd " + planKey + " (revision " + kv.getModRevision() + ")");
    }

    @Override
    public void publish(Plan plan, long expectedGeneration) throws StoreException {
        Cmp unchanged = expectedGeneration == 0
                ? new Cmp(generationKey, Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(generationKey, Cmp.Op.EQUAL, CmpTarget.value(bytes(Long.toString(expectedGeneration))));
        TxnResponse r = await(client.getKVClient().txn()
                .If(unchanged)
                .Then(Op.put(planKey, ByteSequence.from(PlanJson.bytes(plan)), PutOption.DEFAULT),
                        Op.put(generationKey, bytes(Long.toString(plan.generation())), PutOption.DEFAULT))
                .Else(Op.get(generationKey, GetOption.DEFAULT))
                .commit(), timeout, "publish plan " + plan.generation());
        if (!r.isSucceeded()) {
            String stored = r.getGetResponses().isEmpty() || r.getGetResponses().getFirst().getKvs().isEmpty() ? "0"
                    : r.getGetResponses().getFirst().getKvs().getFirst().getValue().toString(StandardCharsets.UTF_8);
            throw new StoreException.Conflict("etcd " + generationKey + ": stored generation is " + stored
                    + ", expected " + expectedGeneration + "; plan " + plan.generation() + " not written");
        }
        feed.deliver(plan);
    }

    @Override
    public synchronized void watch(Consumer<Plan> listener) {
        feed.add(listener);
        if (watcher != null) return;
        long revision = 0;
        try {
            var got = await(client.getKVClient().get(planKey), timeout, "read " + planKey);
            revision = got.getHeader().getRevision();
            if (!got.getKvs().isEmpty()) feed.deliver(decode(got.getKvs().getFirst()));
        } catch (StoreException e) {
            log.warn("{}; watching from now on, catching up by re-reading", e.getMessage());
        }
        WatchOption from = revision > 0 ? WatchOption.builder().withRevision(revision + 1).build() : WatchOption.DEFAULT;
        watcher = client.getWatchClient().watch(planKey, from, Watch.listener(this::onEvents,
                e -> log.warn("etcd watch of {} failed: {}; re-reading every {} ms", planKey, e.getMessage(),
                        resyncPeriod.toMillis())));
        resync = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("etcd-plan-resync").unstarted(r));
        resync.scheduleWithFixedDelay(this::resync, resyncPeriod.toMillis(), resyncPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onEvents(WatchResponse response) {
        for (WatchEvent event : response.getEvents()) {
            if (event.getEventType() != WatchEvent.EventType.PUT) continue;
            try {
                feed.deliver(decode(event.getKeyValue()));
            } catch (StoreException e) {
                log.warn("{}", e.getMessage());
            }
        }
    }

    private void resync() {
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
