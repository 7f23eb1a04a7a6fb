package dev.hsdo.discovery.tenants;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The tenant table under an etcd prefix: key {@code <prefix><tenant>}, value the shard. Read whole, then
 * watched from the revision after the read; a watch that ends (etcd restarted, revision compacted) leads to a
 * fresh read, retried every second while etcd does not answer, with the last good entries kept meanwhile.
 * Admin API writes are transactions of at most {@link #OPS_PER_TXN} operations (etcd's default limit is 128).
 */
public final class EtcdTenantSource implements TenantSource {
    private static final Logger log = LoggerFactory.getLogger(EtcdTenantSource.class);
    static final int OPS_PER_TXN = 100;
    private static final long TIMEOUT_MS = 5000;

    private final List<String> endpoints;
    private final String prefix;
    private final Client client;
    private final Object lock = new Object();
    // guarded by lock: the entries, the revision they are at, the watch, the last error
    private final TreeMap<String, String> entries = new TreeMap<>();
    private Map<String, String> view = Map.of();
    private long revision;
    private Watch.Watcher watcher;
    private String error;
    private boolean closed;
    private volatile Runnable onChange = () -> {};
    private final Thread resyncer;
    private final java.util.concurrent.Semaphore resync = new java.util.concurrent.Semaphore(0);

    public EtcdTenantSource(List<String> endpoints, String prefix) {
        this.endpoints = List.copyOf(endpoints);
        this.prefix = prefix;
        this.client = Client.builder().endpoints(this.endpoints.toArray(String[]::new)).build();
        this.resyncer = Thread.ofVirtual().name("hsdo-etcd-tenants").unstarted(this::resyncLoop);
    }

    @Override
    public void start(Runnable onChange) throws IOException {
        this.onChange = onChange;
        boolean ok = sync();
        // A first read that failed is retried by the same loop as a watch that ended.
        if (!ok) resync.release();
        resyncer.start();
        if (!ok) throw new IOException(error());
    }

    private void resyncLoop() {
        try {
            while (true) {
                resync.acquire();
                while (!sync()) {
                    synchronized (lock) {
                        if (closed) return;
                    }
                    TimeUnit.SECONDS.sleep(1); // a retry pace, not a synchronisation
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private boolean sync() {
        GetResponse r;
        try {
            r = client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            synchronized (lock) {
                String message = "etcd " + endpoints + " prefix " + prefix + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.toString());
                if (!message.equals(error)) log.warn("tenant table: {}; keeping the last {} entries", message, entries.size());
                error = message;
            }
            return false;
        }
        boolean changed;
        synchronized (lock) {
            if (closed) return true;
            TreeMap<String, String> read = new TreeMap<>();
            for (KeyValue kv : r.getKvs()) read.put(text(kv.getKey()).substring(prefix.length()), text(kv.getValue()));
            changed = !read.equals(entries);
            entries.clear();
            entries.putAll(read);
            revision = r.getHeader().getRevision();
            error = null;
            if (watcher != null) watcher.close();
            WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).build();
            watcher = client.getWatchClient().watch(bytes(prefix), option, Watch.listener(this::onEvents,
                    e -> resync.release(), resync::release));
            if (changed) view = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
        if (changed) onChange.run();
        return true;
    }

    private void onEvents(io.etcd.jetcd.watch.WatchResponse response) {
        boolean changed = false;
        synchronized (lock) {
            if (closed) return;
            // One transaction's events share its revision: compare with the revision before this response.
            long floor = revision;
            for (WatchEvent event : response.getEvents()) {
                KeyValue kv = event.getKeyValue();
                if (kv.getModRevision() <= floor) continue;
                String tenant = text(kv.getKey()).substring(prefix.length());
                if (event.getEventType() == WatchEvent.EventType.PUT) entries.put(tenant, text(kv.getValue()));
                else entries.remove(tenant);
                revision = Math.max(revision, kv.getModRevision());
                changed = true;
            }
            if (changed) view = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
        if (changed) onChange.run();
    }

    @Override
    public Map<String, String> entries() {
        synchronized (lock) {
            return view;
        }
    }

    @Override
    public String error() {
        synchronized (lock) {
            return error;
        }
    }

    @Override
    public void write(Map<String, String> changes, boolean replace) throws IOException {
        List<Op> ops = new ArrayList<>();
        if (replace) for (String t : entries().keySet()) if (!changes.containsKey(t)) ops.add(Op.delete(bytes(prefix + t), DeleteOption.DEFAULT));
        changes.forEach((t, s) -> ops.add(s == null ? Op.delete(bytes(prefix + t), DeleteOption.DEFAULT)
                : Op.put(bytes(prefix + t), bytes(s), PutOption.DEFAULT)));
        try {
            for (int i = 0; i < ops.size(); i += OPS_PER_TXN) {
                Txn txn = client.getKVClient().txn();
                txn.Then(ops.subList(i, Math.min(ops.size(), i + OPS_PER_TXN)).toArray(Op[]::new)).commit()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            throw new IOException("etcd " + endpoints + ": cannot write the tenant table: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
    }

    @Override
    public void close() {
        Watch.Watcher w;
        synchronized (lock) {
            closed = true;
            w = watcher;
        }
        if (w != null) w.close();
        resyncer.interrupt();
        client.close();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
