package dev.hsdo.agent;

import dev.hsdo.model.TenantTable;

import java.util.List;

/**
 * The tenant map as this agent last verified it in HAProxy, for {@code "tenants"} in the status API.
 *
 * @param generation the plan generation whose table HAProxy was last verified to hold (0: none yet)
 * @param entries    entries of that table
 * @param rejected   entries of the plan's table left out as unsafe or naming an unknown shard
 * @param driftRepaired entries found changed in HAProxy by someone else (a hand-made {@code set map}) and put back,
 *                      since the agent started
 * @param lastDriftAt   when drift was last found and repaired, or null
 */
public record TenantStatus(long generation, long entries, List<TenantTable.Rejection> rejected, long driftRepaired,
                           java.time.Instant lastDriftAt) {
    public TenantStatus {
        rejected = List.copyOf(rejected);
    }

    /** Before the first verification. */
    public static TenantStatus initial() {
        return new TenantStatus(0, 0, List.of(), 0, null);
    }
}
