package dev.hsdo.agent;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether the agent's last exchange with the fleet store worked, and since when it has been failing. An
 * agent keeps serving its last plan through a store outage; this is what makes the outage visible in its
 * status, metrics and readiness text.
 */
public final class StoreHealth {
    /**
     * @param healthy whether the last call answered
     * @param error   the last failure, or null when healthy
     * @param since   when the store last changed between answering and failing (when the agent started, at first)
     */
    public record State(boolean healthy, String error, Instant since) {}

    private final Clock clock;
    private volatile State state;

    /** A store not asked yet counts as failing ("not connected yet") until its first answer. */
    public StoreHealth(Clock clock) {
        this.clock = clock;
        this.state = new State(false, "not connected yet", clock.instant());
    }

    /** Exports {@code hsdo_store_healthy} (1 or 0) and {@code hsdo_store_unhealthy_seconds} to {@code registry}. */
    public StoreHealth register(MeterRegistry registry) {
        Gauge.builder("hsdo.store.healthy", this, h -> h.state.healthy() ? 1 : 0)
                .description("1 while the fleet store answers, 0 during an outage (the agent serves its last plan)")
                .register(registry);
        Gauge.builder("hsdo.store.unhealthy.seconds", this,
                        h -> h.state.healthy() ? 0 : Math.max(0, clock.millis() - h.state.since().toEpochMilli()) / 1000.0)
                .description("how long the fleet store has been failing, 0 while it answers").register(registry);
        return this;
    }

    /** The store answered; returns whether it was failing before. */
    public boolean answered() {
        State s = state;
        if (s.healthy()) return false;
        state = new State(true, null, clock.instant());
        return true;
    }

    /** The store failed with {@code error}; the outage's start is kept while it goes on. */
    public void failed(String error) {
        State s = state;
        state = new State(false, error, s.healthy() ? clock.instant() : s.since());
    }

    /** The current state. */
    public State state() {
        return state;
    }
}
