package dev.hsdo.discovery.dns;

import dev.hsdo.config.DnsSourceConfig;
import dev.hsdo.discovery.SnapshotPublisher;
import dev.hsdo.discovery.Source;
import dev.hsdo.model.SourceSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Endpoints from a DNS SRV record ({@link SrvEndpoints} maps the answer), re-read every {@code refresh}, or
 * sooner when the records' TTL is shorter. A timeout, SERVFAIL or REFUSED keeps the last good endpoints with
 * the error set and is retried after {@link #RETRY} (or the refresh interval when that is shorter), so that
 * the source follows DNS within about a second of it answering again. NXDOMAIN or an answer without records is a successful read of no endpoints: the planner's
 * mass-removal guard, not this source, decides whether a backend may be emptied.
 */
public final class DnsSource implements Source {
    /** No re-read sooner than this because of a short TTL (a TTL of 0 would otherwise mean a busy loop). */
    static final Duration MIN_TTL_REFRESH = Duration.ofSeconds(1);
    /** The wait after a failed read: DNS gives no "slow down" answer, so a failing server is asked again soon. */
    static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(DnsSource.class);

    private final String name;
    private final DnsSourceConfig config;
    private final SrvLookup lookup;
    private final Clock clock;

    private final Object lock = new Object();
    /** Guarded by lock (its methods but current()). */
    private final SnapshotPublisher publisher;
    /** Guarded by lock. */
    private ScheduledExecutorService scheduler;
    private volatile boolean closed;

    /**
     * @param config what to query and how often
     * @param lookup asks DNS; closed with this source
     * @param clock  gives {@link SourceSnapshot#readAt()}
     */
    public DnsSource(DnsSourceConfig config, SrvLookup lookup, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.name = config.name();
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.publisher = new SnapshotPublisher(name, config.srv());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(Consumer<SourceSnapshot> listener) {
        synchronized (lock) {
            if (scheduler != null) throw new IllegalStateException("source " + name + " already started");
            if (closed) throw new IllegalStateException("source " + name + " is closed");
            publisher.listener(listener);
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hsdo-dns-source-" + name);
                t.setDaemon(true);
                return t;
            });
            Duration next = refresh(true);
            schedule(next);
        }
    }

    private void schedule(Duration delay) {
        synchronized (lock) {
            if (closed) return;
            scheduler.schedule(() -> schedule(refresh(false)), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public SourceSnapshot current() {
        return publisher.current();
    }

    /**
     * Reads the SRV record once and reports what changed.
     *
     * @param always tell the listener even if nothing changed (the first read)
     * @return how long to wait before the next read
     */
    Duration refresh(boolean always) {
        synchronized (lock) {
            if (closed) return config.refresh();
            try {
                SrvAnswer answer = lookup.lookup(config.srv());
                SrvEndpoints.Result r = SrvEndpoints.of(config.srv(), answer, config.priorityPolicy(), config.weightPolicy());
                publisher.publish(SourceSnapshot.ok(name, r.endpoints(), r.rejected(), clock.instant()), always);
                return nextDelay(config.refresh(), answer.ttlSeconds());
            } catch (DnsLookupException e) {
                publisher.fail(config.srv() + ": " + e.getMessage(), always);
            } catch (RuntimeException e) {
                // A bug or an unexpected reply must not stop the refreshes: report it like a failed read.
                log.error("source {}: reading {} failed", name, config.srv(), e);
                publisher.fail(config.srv() + ": " + e, always);
            }
            return RETRY.compareTo(config.refresh()) < 0 ? RETRY : config.refresh();
        }
    }

    /**
     * The wait before the next read: the refresh interval, or the records' TTL when that is shorter (but
     * at least {@link #MIN_TTL_REFRESH}), so that no answer is used longer than its TTL allows.
     *
     * @param ttlSeconds the smallest TTL of the answer, or a negative number when it had no records
     */
    static Duration nextDelay(Duration refresh, long ttlSeconds) {
        if (ttlSeconds < 0) return refresh;
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        if (ttl.compareTo(MIN_TTL_REFRESH) < 0) ttl = MIN_TTL_REFRESH;
        return ttl.compareTo(refresh) < 0 ? ttl : refresh;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            // Taking the lock waits for a read in progress, so no listener call follows close().
            if (scheduler != null) scheduler.shutdownNow();
        }
        lookup.close();
    }
}
