package dev.hsdo.agent;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.ZoneAffinity;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of the fleet's plan one agent applies: in a backend with zone affinity, only the servers of the
 * agent's own zone ({@code local}) or of the others ({@code other}). Pure. Servers keep the ids the
 * controller gave them, so agents in one zone build the same ring. Backends the agent's config does not
 * have are left out.
 */
public final class ZoneView {
    private ZoneView() {}

    /** {@code plan} as an agent in {@code zone} (null: no zone, every server counts as local) applies it. */
    public static Plan of(Plan plan, HsdoConfig config, String zone) {
        List<BackendPlan> backends = new ArrayList<>();
        boolean changed = false;
        for (BackendPlan b : plan.backends()) {
            BackendConfig bc = config.backend(b.name());
            // A backend this agent's config lacks (a rolling config change) cannot be rendered or applied: the
            // agent reports it and applies the others.
            if (bc == null) {
                changed = true;
                continue;
            }
            if (bc.zone() == ZoneAffinity.ALL) {
                backends.add(b);
                continue;
            }
            List<ServerPlan> kept = b.servers().stream()
                    .filter(s -> local(s, zone) == (bc.zone() == ZoneAffinity.LOCAL)).toList();
            changed |= kept.size() != b.servers().size();
            backends.add(new BackendPlan(b.name(), kept, b.heldBack()));
        }
        return changed ? plan.withBackends(backends) : plan;
    }

    private static boolean local(ServerPlan s, String zone) {
        return zone == null || Objects.equals(s.zone(), zone);
    }
}
