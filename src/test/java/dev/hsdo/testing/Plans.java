package dev.hsdo.testing;

import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plans for store tests, without the planner. */
public final class Plans {
    private Plans() {}

    /** A plan of backend {@code app} with {@code servers} servers, the last one draining. */
    public static Plan of(long generation, int servers) {
        List<ServerPlan> list = new ArrayList<>();
        for (int i = 1; i <= servers; i++)
            list.add(new ServerPlan("s" + i, i, "s" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
                    80, 100, i == servers ? ServerState.DRAIN : ServerState.READY, "a", ServerOptions.defaults(),
                    i == servers ? Instant.parse("2026-01-01T00:00:10Z") : null));
        return Plan.of(generation, List.of(new BackendPlan("app", list, null)));
    }
}
