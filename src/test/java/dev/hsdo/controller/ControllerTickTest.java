package dev.hsdo.controller;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerState;
import dev.hsdo.store.file.FilePlanStore;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.FixedSource;
import dev.hsdo.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A tick where no input changed computes no plan; a changed snapshot, a due drain or a guard release does. */
class ControllerTickTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static List<Endpoint> endpoints(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> Endpoint.of("10.0.0." + i, 80)).toList();
    }

    @Test
    void unchangedTicksPlanNothingAndADueDrainOrAChangePlansAgain() throws Exception {
        HsdoConfig config = Configs.standard(dir, 8080, Duration.ofSeconds(10), 0.5);
        ControllerMetrics metrics = new ControllerMetrics(new SimpleMeterRegistry());
        FixedSource source = new FixedSource("servers", endpoints(4));
        try (FilePlanStore store = new FilePlanStore(dir.resolve("plan.json"), Duration.ofHours(1));
             Controller c = new Controller(config, List.of(source), store, clock, metrics)) {
            Plan first = c.start();
            long runs = metrics.plannerRuns();
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(c.planOnce()).isSameAs(first);
            }
            assertThat(metrics.plannerRuns()).as("unchanged ticks").isEqualTo(runs);

            source.set(endpoints(3));
            Plan draining = c.planOnce();
            assertThat(draining.backend("app").servers()).filteredOn(s -> s.state() == ServerState.DRAIN).hasSize(1);
            long afterChange = metrics.plannerRuns();
            assertThat(afterChange).isGreaterThan(runs);

            clock.advance(Duration.ofSeconds(5));
            assertThat(c.planOnce()).isSameAs(draining);
            assertThat(metrics.plannerRuns()).as("drain not due yet").isEqualTo(afterChange);

            clock.advance(Duration.ofSeconds(6));
            Plan drained = c.planOnce();
            assertThat(drained.backend("app").servers()).hasSize(3);
            assertThat(metrics.plannerRuns()).as("the drain deadline passed").isEqualTo(afterChange + 1);

            // A held-back change and its release: the release is an input too.
            source.set(endpoints(1));
            assertThat(c.planOnce().backend("app").heldBack()).isNotNull();
            long held = metrics.plannerRuns();
            c.planOnce();
            assertThat(metrics.plannerRuns()).isEqualTo(held);
            c.releaseGuard("app");
            assertThat(c.planOnce().backend("app").heldBack()).isNull();
            assertThat(metrics.plannerRuns()).isGreaterThan(held);
        }
    }
}
