package dev.hsdo.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(30), now::get);

    @Test
    void delaysDoubleFromInitialUpToMax() {
        assertThat(delays(9)).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L);
    }

    @Test
    void shortUptimeKeepsBackingOff() {
        backoff.started();
        backoff.nextDelay();
        backoff.started();
        advance(Duration.ofSeconds(29));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void thirtySecondsOfUptimeResetsToInitial() {
        delays(5);
        backoff.started();
        advance(Duration.ofSeconds(30));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void failedStartsWithoutUptimeNeverReset() {
        backoff.started();
        backoff.nextDelay();
        advance(Duration.ofMinutes(5)); // time passes, but the process never came up again
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void maxBelowInitialIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2S");
    }

    private long[] delays(int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = backoff.nextDelay().toMillis();
        return out;
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
