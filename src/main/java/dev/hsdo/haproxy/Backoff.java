package dev.hsdo.haproxy;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Delays between restarts of a crashing process: {@code initial}, doubling up to {@code max}, and back to
 * {@code initial} once the process has stayed up for {@code resetAfter}. A process that crashes at once keeps
 * backing off; one that ran for a while is restarted quickly again. Not thread-safe: one supervisor owns it.
 */
public final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final long resetAfterNanos;
    private final LongSupplier nanoTicker;
    private long nextNanos;
    private boolean up;
    private long upSince;

    /**
     * @param nanoTicker monotonic nanoseconds, {@code System::nanoTime} outside tests
     */
    public Backoff(Duration initial, Duration max, Duration resetAfter, LongSupplier nanoTicker) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || resetAfter.isNegative())
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and resetAfter >= 0, got "
                    + initial + ", " + max + ", " + resetAfter);
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.resetAfterNanos = resetAfter.toNanos();
        this.nanoTicker = nanoTicker;
        this.nextNanos = initialNanos;
    }

    /** 100 ms doubling to 10 s, reset after 30 s of uptime, on the system's monotonic clock. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(30), System::nanoTime);
    }

    /** Records that the process is up from now on. */
    public void started() {
        up = true;
        upSince = nanoTicker.getAsLong();
    }

    /** The delay before the next restart, to be asked once per failure (exit or failed start). */
    public Duration nextDelay() {
        if (up && nanoTicker.getAsLong() - upSince >= resetAfterNanos) nextNanos = initialNanos;
        up = false;
        long delay = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        return Duration.ofNanos(delay);
    }
}
