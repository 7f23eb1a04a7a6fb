package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.controller.Sources;
import dev.hsdo.discovery.Source;
import dev.hsdo.model.Plan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.plan.PlanInput;
import dev.hsdo.plan.Planner;
import dev.hsdo.store.file.FilePlanStore;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Reads every source once and plans, for the commands that change nothing. */
final class OneShot {
    private OneShot() {}

    /** The plan the sources give now, starting from the stored plan if there is one. */
    static Plan plan(HsdoConfig c) throws Exception {
        Map<String, SourceSnapshot> snaps = new HashMap<>();
        for (var sc : c.sources()) {
            try (Source s = Sources.create(sc, Clock.systemUTC())) {
                s.start(snap -> {});
                SourceSnapshot snap = s.current();
                if (!snap.healthy()) System.err.println("hsdo: source " + sc.name() + ": " + snap.error());
                snap.rejected().forEach(r -> System.err.println("hsdo: source " + sc.name() + ": rejected " + r));
                snaps.put(sc.name(), snap);
            }
        }
        Plan previous = Plan.empty();
        if (c.store().path() != null && java.nio.file.Files.exists(c.store().path())) {
            try (FilePlanStore store = new FilePlanStore(c.store().path(), Duration.ofHours(1))) {
                previous = store.current().orElse(Plan.empty());
            }
        }
        return Planner.plan(new PlanInput(previous, snaps, c, Clock.systemUTC().instant(), Set.of()));
    }
}
