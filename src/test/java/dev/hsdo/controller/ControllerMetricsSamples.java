package dev.hsdo.controller;

import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Plans;

import java.time.Instant;
import java.util.List;

/** Drives a {@link ControllerMetrics} through every kind of event, so that each of its series exists. */
public final class ControllerMetricsSamples {
    private ControllerMetricsSamples() {}

    /** A plan computed and published, a source read with a rejected entry and then failing, a fenced publish. */
    public static void everySeries(ControllerMetrics metrics) {
        metrics.planned();
        metrics.published(Plans.of(3, 2));
        SourceSnapshot read = SourceSnapshot.ok("servers", List.of(), List.of("bad entry"), Instant.EPOCH);
        metrics.source(read, null);
        metrics.source(read.failed("connection refused"), read);
        metrics.fenced();
    }
}
