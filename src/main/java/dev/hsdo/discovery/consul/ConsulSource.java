package dev.hsdo.discovery.consul;

import dev.hsdo.config.ConsulSourceConfig;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.discovery.SnapshotPublisher;
import dev.hsdo.discovery.Source;
import dev.hsdo.discovery.Workers;
import dev.hsdo.haproxy.Backoff;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.model.Tokens;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Instances of one or more Consul services, kept current with blocking queries: one thread per service
 * waits on {@code /v1/health/service/<name>?index=N&wait=W} and Consul answers as soon as something
 * changes, so changes arrive within milliseconds without polling.
 *
 * <p>A failed query (Consul unreachable, an error status, an answer that does not parse) keeps that
 * service's last good instances, reports the error, and is retried every {@code retry} (1 s), so that the
 * source follows Consul within about a second of it answering again; only an HTTP 429 ("too many
 * requests") backs off, doubling up to {@code retryMax}. The query after any error is a fresh, non-blocking
 * one (no index, no wait): a Consul that restarted has its index reset, and a blocking query with the old
 * index would sit out the whole wait before noticing. An index that goes backwards in an answer starts over
 * the same way ({@link ConsulIndex}). The first good answer clears the error. Queries of one service
 * are at least {@link #MIN_GAP} apart, so a service that changes constantly cannot make hsdo hammer Consul.
 *
 * <p>A blocking query still waiting after {@code check} (2 s) is checked with a non-blocking one, and again
 * every {@code check}: when the indexes differ, the check's answer is taken and the blocking query dropped.
 * Without this a Consul restarted from scratch could stay unseen for the whole wait: the JDK's HTTP client
 * sends a GET once more by itself when its connection drops before an answer, so the blocked query reaches
 * the new Consul with the old index (46 where Consul is now at 3) and waits for an index Consul may not reach
 * for hours; a proxy in front of Consul can hold a query the same way. One cheap request per service every
 * {@code check} while nothing changes is the price.
 */
public final class ConsulSource implements Source {
    /** The least time between two queries for one service. */
    static final Duration MIN_GAP = Duration.ofMillis(100);
    /** How long a blocking query waits before its index is checked with a non-blocking query. */
    static final Duration CHECK = Duration.ofSeconds(2);

    /** What is known of one service; guarded by the source's lock. */
    private static final class ServiceState {
        Parsed parsed = new Parsed(List.of(), List.of());
        String error;
        Instant readAt;
    }

    private final ConsulSourceConfig config;
    private final Clock clock;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final Duration check;
    private final SnapshotPublisher publisher;
    private final Workers workers = new Workers();
    private final Object lock = new Object();
    /** Guarded by lock: every service's state, in configuration order. */
    private final Map<String, ServiceState> states = new LinkedHashMap<>();
    /** Guarded by lock. */
    private boolean closed;
    private volatile ConsulClient client;

    /** A source for {@code config} that retries every 1 s, backing off to 30 s only when Consul answers 429. */
    public ConsulSource(ConsulSourceConfig config, Clock clock) {
        this(config, clock, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /**
     * @param clock        gives {@link SourceSnapshot#readAt()}
     * @param retryInitial the delay after a failed query (and the first delay after a 429)
     * @param retryMax     the longest delay between retries while Consul keeps answering 429
     */
    public ConsulSource(ConsulSourceConfig config, Clock clock, Duration retryInitial, Duration retryMax) {
        this(config, clock, retryInitial, retryMax, CHECK);
    }

    /**
     * @param check how long a blocking query waits before a non-blocking query checks Consul's index, and
     *              then between checks
     */
    public ConsulSource(ConsulSourceConfig config, Clock clock, Duration retryInitial, Duration retryMax, Duration check) {
        this.check = Objects.requireNonNull(check, "check");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryInitial = retryInitial;
        this.retryMax = retryMax;
        String what = "consul " + config.address() + " services " + config.services();
        this.publisher = new SnapshotPublisher(config.name(), what);
        for (String s : config.services()) states.put(s, new ServiceState());
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
        }
        try {
            client = new ConsulClient(config.address(), config.datacenter(), config.token(), config.caFile());
        } catch (IOException e) {
            // Without a usable CA file no query can succeed: report it rather than retry forever.
            synchronized (lock) {
                publisher.fail("consul " + config.address() + ": " + e.getMessage(), true);
            }
            return;
        }
        Map<String, Long> indexes = new LinkedHashMap<>();
        try {
            for (String service : config.services()) indexes.put(service, read(service, 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (lock) {
            publishLocked(true);
        }
        indexes.forEach((service, index) -> workers.start("hsdo-consul-" + name() + "-" + service, () -> watch(service, index)));
    }

    @Override
    public SourceSnapshot current() {
        return publisher.current();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        // The client first: its shutdown ends the blocking queries the threads wait in.
        ConsulClient c = client;
        if (c != null) c.close();
        workers.close();
    }

    /** The outcome of one query: the next index to send, or that it failed (and whether Consul said 429). */
    private record Outcome(long index, boolean failed, boolean slowDown) {
        static final Outcome FAILED = new Outcome(0, true, false);
        static final Outcome SLOW_DOWN = new Outcome(0, true, true);
    }

    /** Blocking queries for one service until closed. {@code first} is null after a failed first read. */
    private void watch(String service, Long first) {
        Backoff slowDown = new Backoff(retryInitial, retryMax, Duration.ZERO, System::nanoTime);
        long index = first == null ? 0 : first;
        Duration delay = first == null ? retryInitial : Duration.ZERO;
        try {
            while (!workers.awaitClose(delay)) {
                long started = System.nanoTime();
                Outcome outcome = query(service, index);
                synchronized (lock) {
                    publishLocked(false);
                }
                if (outcome.failed()) {
                    // After any error the next query is a fresh one: no index, so it neither blocks nor waits
                    // for an index that a restarted Consul may never reach again.
                    index = 0;
                    delay = outcome.slowDown() ? slowDown.nextDelay() : retryInitial;
                    continue;
                }
                slowDown.started();
                index = outcome.index();
                long rest = MIN_GAP.toNanos() - (System.nanoTime() - started);
                delay = Duration.ofNanos(Math.max(0, rest));
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** One query at start-up; the next index, or null when it failed. */
    private Long read(String service, long index) throws InterruptedException {
        Outcome o = query(service, index);
        return o.failed() ? null : o.index();
    }

    /** One query; records its outcome in the service's state. */
    private Outcome query(String service, long index) throws InterruptedException {
        Parsed parsed;
        long next;
        try {
            ConsulClient.Answer answer = index > 0 ? blocking(service, index) : client.health(service, 0, config.blockingWait());
            parsed = ConsulHealth.parse(answer.body(), service, config.health());
            next = ConsulIndex.next(index, answer.index());
        } catch (IOException | IllegalArgumentException e) {
            synchronized (lock) {
                // The parser's messages name the service already.
                states.get(service).error = e instanceof IOException io ? "service " + Tokens.show(service) + ": " + describe(io) : e.getMessage();
            }
            return e instanceof ConsulClient.SlowDown ? Outcome.SLOW_DOWN : Outcome.FAILED;
        }
        synchronized (lock) {
            ServiceState st = states.get(service);
            st.parsed = parsed;
            st.error = null;
            st.readAt = clock.instant();
        }
        return new Outcome(next, false, false);
    }

    /** A blocking query at {@code index}, checked every {@link #check} as the class comment says. */
    private ConsulClient.Answer blocking(String service, long index) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> pending = client.start(service, index, config.blockingWait());
        try {
            while (true) {
                try {
                    pending.get(check.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    // answer() below reports the failure.
                } catch (TimeoutException e) {
                    ConsulClient.Answer now;
                    try {
                        now = client.health(service, 0, config.blockingWait());
                    } catch (IOException checkFailed) {
                        // The blocking query fails by itself when Consul is gone; a failed check alone proves nothing.
                        continue;
                    }
                    if (now.index() != index) return now;
                    continue;
                }
                return client.answer(service, pending);
            }
        } finally {
            pending.cancel(true);
        }
    }

    private String describe(IOException e) {
        if (e instanceof ConnectException) return "cannot connect to consul " + config.address();
        if (e instanceof HttpTimeoutException) return "no answer from consul " + config.address() + " in time";
        if (e.getMessage() == null) return "consul " + config.address() + ": " + e;
        return e.getMessage();
    }

    /**
     * Merges every service's last good instances (the first service listing an instance wins). Until every
     * service was read once the source counts as never read: a partial list would read as removals.
     */
    private void publishLocked(boolean always) {
        if (closed) return;
        List<Endpoint> endpoints = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> identities = new HashSet<>();
        Instant readAt = null;
        boolean allRead = true;
        for (ServiceState st : states.values()) {
            for (Endpoint e : st.parsed.endpoints()) if (identities.add(e.identity())) endpoints.add(e);
            rejected.addAll(st.parsed.rejected());
            if (st.error != null) errors.add(st.error);
            if (st.readAt == null) allRead = false;
            // The oldest of the services' last reads: every endpoint is at least this fresh.
            else if (readAt == null || st.readAt.isBefore(readAt)) readAt = st.readAt;
        }
        String error = errors.isEmpty() ? null : String.join("; ", errors);
        SourceSnapshot next;
        if (!allRead) next = SourceSnapshot.neverRead(name(), error != null ? error : "not every service read yet");
        else if (error != null) next = new SourceSnapshot(name(), endpoints, error, rejected, readAt, SourceSnapshot.State.FAILING);
        else next = SourceSnapshot.ok(name(), endpoints, rejected, readAt);
        publisher.publish(next, always);
    }
}
