package dev.hsdo.discovery;

import dev.hsdo.haproxy.Backoff;
import dev.hsdo.model.SourceSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A source for APIs that cannot be watched, only asked: it reads every {@code interval}. A failed read
 * keeps the last good endpoints, reports the error, and is retried after {@code retryInitial}, so that the
 * source follows the API within about that much of it answering again. Only a read the API refused as
 * throttled ({@link Reader#slowDown}) backs off, doubling from {@code retryInitial} up to {@code retryMax},
 * so that an API that throttles is asked less, not more.
 */
public final class PollingSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(PollingSource.class);

    /** One read of the whole answer; the I/O half of a polled source. */
    public interface Reader extends AutoCloseable {
        /**
         * Reads everything the source knows now.
         *
         * @throws Exception with a message fit for the status page when the read fails as a whole
         */
        Parsed read() throws Exception;

        /** Whether {@code failure} (thrown by {@link #read}) asks to be asked less often, as throttling does. */
        default boolean slowDown(Exception failure) {
            return false;
        }

        /** Releases clients and connections. */
        @Override
        void close();
    }

    private final String name;
    private final Duration interval;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final Clock clock;
    private final Reader reader;
    private final SnapshotPublisher publisher;
    private final Workers workers = new Workers();
    private final Object lock = new Object();
    /** Guarded by lock. */
    private boolean closed;

    /**
     * @param what names what is read, for log lines
     */
    public PollingSource(String name, String what, Duration interval, Duration retryInitial, Duration retryMax, Clock clock,
                         Reader reader) {
        this.name = Objects.requireNonNull(name, "name");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be > 0, got " + interval);
        this.interval = interval;
        this.retryInitial = retryInitial;
        this.retryMax = retryMax;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.publisher = new SnapshotPublisher(name, what);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(Consumer<SourceSnapshot> listener) {
        synchronized (lock) {
            if (closed) throw new IllegalStateException("source " + name + " is closed");
            publisher.listener(listener);
        }
        Outcome first = readOnce(true);
        workers.start("hsdo-poll-" + name, () -> loop(first));
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
        workers.close();
        reader.close();
    }

    private enum Outcome { OK, FAILED, SLOW_DOWN }

    private void loop(Outcome first) {
        Backoff slowDown = new Backoff(retryInitial, retryMax, Duration.ZERO, System::nanoTime);
        Outcome last = first;
        try {
            while (!workers.awaitClose(switch (last) {
                case OK -> interval;
                case FAILED -> retryInitial;
                case SLOW_DOWN -> slowDown.nextDelay();
            })) {
                last = readOnce(false);
                if (last == Outcome.OK) slowDown.started();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Reads and publishes; returns how the read went. */
    private Outcome readOnce(boolean first) {
        SourceSnapshot next;
        Outcome outcome;
        try {
            Parsed p = reader.read();
            next = SourceSnapshot.ok(name, p.endpoints(), p.rejected(), clock.instant());
            outcome = Outcome.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        } catch (Exception e) {
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            log.debug("source {}: read failed", name, e);
            next = publisher.current().failed(message);
            outcome = reader.slowDown(e) ? Outcome.SLOW_DOWN : Outcome.FAILED;
        }
        synchronized (lock) {
            // Nothing is reported after close().
            if (!closed) publisher.publish(next, first);
        }
        return outcome;
    }
}
