package dev.hsdo.discovery.etcd;

import dev.hsdo.config.EtcdRegistrySourceConfig;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.discovery.SnapshotPublisher;
import dev.hsdo.discovery.Source;
import dev.hsdo.discovery.Workers;
import dev.hsdo.model.SourceSnapshot;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Endpoints services register in etcd under a key prefix (see {@link RegistryEntries} for the value). The
 * source reads the prefix once, then watches it from the next revision: a registration, an update or a
 * deletion (a lease that expired) reaches the listener within milliseconds, with no polling.
 *
 * <p>While the watch is quiet the connection is checked every {@code checkInterval}, because the client
 * would otherwise wait silently for etcd to come back: an outage is reported with the last good endpoints
 * kept, and retried every {@code retryInitial} (etcd never asks to slow down, and recovery should be seen
 * within about a second of etcd answering again); recovery reads the whole
 * prefix again (so nothing missed in between is lost) and watches anew. A watch that fails (a compacted
 * revision, a lost leader) leads to the same fresh read.
 */
public final class EtcdRegistrySource implements Source {
    private final EtcdRegistrySourceConfig config;
    private final Clock clock;
    private final Duration requestTimeout;
    private final Duration retryInitial;
    private final SnapshotPublisher publisher;
    private final ByteSequence prefix;
    private final Workers workers = new Workers();
    /** Released when the watch ends or fails: the loop then reads everything again. */
    private final Semaphore resync = new Semaphore(0);
    private final Object lock = new Object();
    /** Guarded by lock: key → value of every entry under the prefix, as of {@link #revision}. */
    private final TreeMap<String, String> entries = new TreeMap<>();
    /** Guarded by lock. */
    private long revision;
    private long watchGeneration;
    private Watch.Watcher watcher;
    private boolean closed;
    private volatile Client client;

    /** A source for {@code config} with 3 s requests, retrying every 1 s. */
    public EtcdRegistrySource(EtcdRegistrySourceConfig config, Clock clock) {
        this(config, clock, Duration.ofSeconds(3), Duration.ofSeconds(1));
    }

    /**
     * @param requestTimeout how long one read or check may take before etcd counts as unreachable
     * @param retryInitial   the delay between retries after a failure
     */
    public EtcdRegistrySource(EtcdRegistrySourceConfig config, Clock clock, Duration requestTimeout, Duration retryInitial) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = requestTimeout;
        this.retryInitial = retryInitial;
        this.prefix = bytes(config.prefix());
        String what = "etcd " + config.endpoints() + " prefix " + config.prefix();
        this.publisher = new SnapshotPublisher(config.name(), what);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void start(Consumer<SourceSnapshot> listener) {
        synchronized (lock) {
            if (closed) throw new IllegalStateException("source " + name() + " is closed");
            publisher.listener(listener);
            client = newClient();
        }
        boolean ok = sync(true);
        workers.start("hsdo-etcd-registry-" + name(), () -> loop(ok));
    }

    @Override
    public SourceSnapshot current() {
        return publisher.current();
    }

    @Override
    public void close() {
        Watch.Watcher w;
        synchronized (lock) {
            closed = true;
            w = watcher;
        }
        // Closed outside the lock: a watch callback waiting for the lock must not hold up the close.
        if (w != null) w.close();
        workers.close();
        Client c = client;
        if (c != null) c.close();
    }

    private void loop(boolean healthy) {
        boolean ok = healthy;
        try {
            while (!workers.isClosed()) {
                if (ok) {
                    boolean watchEnded = resync.tryAcquire(config.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
                    if (workers.isClosed()) return;
                    ok = watchEnded ? sync(false) : check();
                } else {
                    if (workers.awaitClose(retryInitial)) return;
                    reconnect();
                    ok = sync(false);
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * Replaces the client by a new one: the old one's gRPC channel waits out its own reconnect backoff
     * (growing to minutes) before it tries etcd again, a new channel connects at once.
     */
    private void reconnect() {
        Client old;
        Watch.Watcher w;
        synchronized (lock) {
            if (closed) return;
            old = client;
            w = watcher;
            watcher = null;
            watchGeneration++;
            client = newClient();
        }
        if (w != null) w.close();
        old.close();
    }

    private Client newClient() {
        return Client.builder().endpoints(config.endpoints()).connectTimeout(requestTimeout).build();
    }

    /** Reads the whole prefix and watches from the revision after it; reports and returns false on failure. */
    private boolean sync(boolean first) {
        Watch.Watcher old;
        synchronized (lock) {
            old = watcher;
            watcher = null;
            watchGeneration++;
        }
        if (old != null) old.close();
        resync.drainPermits();
        GetResponse response;
        try {
            response = await(client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()));
        } catch (Exception e) {
            fail(e, first);
            return false;
        }
        synchronized (lock) {
            if (closed) return false;
            entries.clear();
            for (KeyValue kv : response.getKvs()) entries.put(text(kv.getKey()), text(kv.getValue()));
            revision = response.getHeader().getRevision();
            publishLocked(first);
            long generation = watchGeneration;
            WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).build();
            watcher = client.getWatchClient().watch(prefix, option, Watch.listener(
                    r -> onEvents(generation, r), e -> onWatchEnd(generation), () -> onWatchEnd(generation)));
        }
        return true;
    }

    /** A cheap read that fails when etcd cannot be reached. */
    private boolean check() {
        try {
            await(client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).withCountOnly(true).build()));
            return true;
        } catch (Exception e) {
            fail(e, false);
            return false;
        }
    }

    private void onEvents(long generation, WatchResponse response) {
        synchronized (lock) {
            // Events of a watch already replaced, or already contained in the last full read, change nothing.
            if (closed || generation != watchGeneration) return;
            boolean changed = false;
            for (WatchEvent event : response.getEvents()) {
                KeyValue kv = event.getKeyValue();
                if (kv.getModRevision() <= revision) continue;
                String key = text(kv.getKey());
                if (event.getEventType() == WatchEvent.EventType.PUT) entries.put(key, text(kv.getValue()));
                else if (event.getEventType() == WatchEvent.EventType.DELETE) entries.remove(key);
                revision = kv.getModRevision();
                changed = true;
            }
            if (changed) publishLocked(false);
        }
    }

    private void onWatchEnd(long generation) {
        synchronized (lock) {
            if (generation == watchGeneration) resync.release();
        }
    }

    private void publishLocked(boolean always) {
        Parsed p = RegistryEntries.parse(entries);
        publisher.publish(SourceSnapshot.ok(name(), p.endpoints(), p.rejected(), clock.instant()), always);
    }

    private void fail(Exception e, boolean first) {
        String message;
        if (e instanceof TimeoutException) message = "no answer from etcd " + config.endpoints() + " within " + requestTimeout.toMillis() + " ms";
        else if (e instanceof ExecutionException && e.getCause() != null) message = "etcd " + config.endpoints() + ": " + e.getCause().getMessage();
        else message = "etcd " + config.endpoints() + ": " + e;
        synchronized (lock) {
            if (!closed) publisher.fail(message, first);
        }
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
