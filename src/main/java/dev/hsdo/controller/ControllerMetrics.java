package dev.hsdo.controller;

import dev.hsdo.model.Plan;
import dev.hsdo.model.SourceSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The controller's Prometheus metrics: plan generation, held-back backends, source health and state. */
public final class ControllerMetrics {
    private final MeterRegistry registry;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong heldBack = new AtomicLong();
    private final Map<String, AtomicLong> endpoints = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> healthy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> states = new ConcurrentHashMap<>();
    private final Counter plannerRuns;

    public ControllerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("hsdo.plan.generation", generation);
        registry.gauge("hsdo.plan.backends.held.back", heldBack);
        plannerRuns = Counter.builder("hsdo.planner.runs").description("plans computed; ticks without a changed input compute none")
                .register(registry);
    }

    /** Metrics that go nowhere. */
    public static ControllerMetrics none() {
        return new ControllerMetrics(new SimpleMeterRegistry());
    }

    void planned() {
        plannerRuns.increment();
    }

    /** How many times the planner ran. */
    public long plannerRuns() {
        return (long) plannerRuns.count();
    }

    void published(Plan plan) {
        generation.set(plan.generation());
        heldBack.set(plan.backends().stream().filter(b -> b.heldBack() != null).count());
    }

    /** A publish the store refused because this controller no longer held the leader lease. */
    void fenced() {
        Counter.builder("hsdo.plan.publish.fenced").register(registry).increment();
    }

    void source(SourceSnapshot snap, SourceSnapshot previous) {
        Tags tags = Tags.of("source", snap.source());
        endpoints.computeIfAbsent(snap.source(), s -> registry.gauge("hsdo.source.endpoints", tags, new AtomicLong()))
                .set(snap.endpoints().size());
        healthy.computeIfAbsent(snap.source(), s -> registry.gauge("hsdo.source.healthy", tags, new AtomicLong()))
                .set(snap.healthy() ? 1 : 0);
        // One series per state, 1 for the state the source is in: never-read, healthy or failing.
        for (SourceSnapshot.State st : SourceSnapshot.State.values())
            states.computeIfAbsent(snap.source() + "\n" + st.word(),
                            k -> registry.gauge("hsdo.source.state", tags.and("state", st.word()), new AtomicLong()))
                    .set(snap.state() == st ? 1 : 0);
        boolean newError = !snap.healthy() && (previous == null || !snap.error().equals(previous.error()));
        if (newError) Counter.builder("hsdo.source.errors").tags(tags).register(registry).increment();
        if (!snap.rejected().isEmpty() && (previous == null || !snap.rejected().equals(previous.rejected())))
            Counter.builder("hsdo.source.rejected").tags(tags).register(registry).increment(snap.rejected().size());
    }
}
