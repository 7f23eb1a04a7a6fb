package dev.hsdo.plan;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.Plan;
import dev.hsdo.model.SourceSnapshot;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the planner looks at.
 *
 * @param previous       the last published plan ({@link Plan#empty()} at first)
 * @param snapshots      the latest snapshot of each source, by source name
 * @param config         the validated configuration
 * @param now            the current time, only used for drain deadlines and slow-start steps
 * @param guardOverrides backends whose held-back change the operator released
 * @param tenants        the checked tenant table, or null to keep the previous plan's
 */
public record PlanInput(Plan previous, Map<String, SourceSnapshot> snapshots, HsdoConfig config, Instant now,
                        Set<String> guardOverrides, dev.hsdo.model.TenantTable tenants) {
    /** The input without a new tenant table (the previous plan's is kept). */
    public PlanInput(Plan previous, Map<String, SourceSnapshot> snapshots, HsdoConfig config, Instant now,
                     Set<String> guardOverrides) {
        this(previous, snapshots, config, now, guardOverrides, null);
    }

    public PlanInput {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(now, "now");
        snapshots = Map.copyOf(snapshots);
        guardOverrides = Set.copyOf(guardOverrides);
    }
}
