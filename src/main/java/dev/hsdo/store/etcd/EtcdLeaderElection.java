package dev.hsdo.store.etcd;

import dev.hsdo.store.Fence;
import dev.hsdo.store.LeaderElection;
import dev.hsdo.store.LeaderState;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.WakeableLoop;
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
import io.etcd.jetcd.watch.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.hsdo.store.etcd.EtcdFleetStore.await;
import static dev.hsdo.store.etcd.EtcdFleetStore.bytes;

/**
 * Leadership by one key attached to a lease: whoever creates {@code PREFIX/leader} leads while its lease
 * lives. Every third of the TTL the candidate renews its lease and tries to create the key; followers
 * also watch the key, so its deletion (a resignation, an expired lease) starts a new attempt at once and
 * the handover takes no longer than the old leader's lease.
 */
final class EtcdLeaderElection implements LeaderElection {
    private static final Logger log = LoggerFactory.getLogger(EtcdLeaderElection.class);

    private final Client client;
    private final ByteSequence key;
    private final String candidate;
    private final Duration ttl;
    private final Duration timeout;
    private final LeaderState state;
    // confined to the loop thread: the lease and when it was last renewed. Real time (System.nanoTime), not an
    // injected clock: etcd expires the lease in real time, and this side must step down before it does.
    private long leaseId;
    private long renewedAt;
    // the leader key this candidate created, as a fence for its writes; null while it does not hold it
    private volatile Fence fence;
    private volatile WakeableLoop loop;
    private volatile Watch.Watcher watcher;

    EtcdLeaderElection(Client client, ByteSequence key, String candidate, Duration ttl, Duration timeout) {
        if (ttl.toSeconds() < 2) throw new IllegalArgumentException("leader lease TTL must be at least 2s, got " + ttl);
        this.client = client;
        this.key = key;
        this.candidate = candidate;
        this.ttl = ttl;
        this.timeout = timeout;
        this.state = new LeaderState(candidate, key, log);
    }

    @Override
    public void start(Runnable onChange) {
        state.onChange(onChange);
        watcher = client.getWatchClient().watch(key, Watch.listener(r -> {
            if (r.getEvents().stream().anyMatch(e -> e.getEventType() == WatchEvent.EventType.DELETE)) wake();
        }, e -> log.debug("etcd watch of {} failed: {}", key, e.getMessage())));
        loop = new WakeableLoop("hsdo-election", ttl.dividedBy(3), this::tick);
        loop.wake();
    }

    private void wake() {
        WakeableLoop l = loop;
        if (l != null) l.wake();
    }

    private void tick() {
        long started = System.nanoTime();
        try {
            renewLease(started);
            TxnResponse r = await(() -> client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, bytes(candidate), PutOption.builder().withLeaseId(leaseId).build()))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit(), timeout, "campaign on " + key);
            if (r.isSucceeded()) {
                // The key was created by this transaction: its create revision is the transaction's.
                fence = new Fence(candidate, r.getHeader().getRevision());
                state.set(true, candidate);
                return;
            }
            var kvs = r.getGetResponses().getFirst().getKvs();
            if (kvs.isEmpty()) {
                wake();
                return;
            }
            KeyValue held = kvs.getFirst();
            String holder = held.getValue().toString(StandardCharsets.UTF_8);
            boolean ours = held.getLease() == leaseId && holder.equals(candidate);
            fence = ours ? new Fence(candidate, held.getCreateRevision()) : null;
            state.set(ours, holder);
        } catch (StoreException e) {
            // Without an answer the lease may run out in the store: lead only while it surely still runs.
            if (state.isLeader() && Duration.ofNanos(System.nanoTime() - renewedAt).compareTo(ttl.dividedBy(2)) > 0) {
                log.warn("{}: stepping down, lease not renewed for {} ms", e.getMessage(),
                        (System.nanoTime() - renewedAt) / 1_000_000);
                fence = null;
                state.set(false, null);
            } else {
                log.debug("{}", e.getMessage());
            }
        }
    }

    private void renewLease(long started) throws StoreException {
        if (leaseId != 0) {
            try {
                long left = await(() -> client.getLeaseClient().keepAliveOnce(leaseId), timeout, "renew lease").getTTL();
                if (left > 0) {
                    renewedAt = started;
                    return;
                }
            } catch (StoreException e) {
                if (e.getMessage() == null || !e.getMessage().contains("not found")) throw e;
            }
            // The lease expired (a long pause, the store was away): whatever we held is gone.
            leaseId = 0;
            fence = null;
            state.set(false, state.leaderId());
        }
        leaseId = await(() -> client.getLeaseClient().grant(Math.max(2, ttl.toSeconds())), timeout, "grant lease").getID();
        renewedAt = started;
    }

    @Override
    public boolean isLeader() {
        return state.isLeader();
    }

    @Override
    public Fence fence() {
        Fence f = fence;
        return f != null && state.isLeader() ? f : null;
    }

    @Override
    public void lost(Fence refused) {
        if (refused == null || !refused.equals(fence)) return;
        fence = null;
        state.set(false, null);
        wake();
    }

    @Override
    public String leaderId() {
        return state.leaderId();
    }

    @Override
    public void close() {
        WakeableLoop l = loop;
        if (l != null) l.close();
        fence = null;
        Watch.Watcher w = watcher;
        if (w != null) w.close();
        if (leaseId == 0) return;
        try {
            if (state.isLeader()) await(() -> client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bytes(candidate))))
                    .Then(Op.delete(key, io.etcd.jetcd.options.DeleteOption.DEFAULT))
                    .commit(), timeout, "resign " + key);
            await(() -> client.getLeaseClient().revoke(leaseId), timeout, "revoke lease");
        } catch (StoreException e) {
            log.warn("{}: the lease will expire on its own", e.getMessage());
        }
        state.resigned();
    }
}
