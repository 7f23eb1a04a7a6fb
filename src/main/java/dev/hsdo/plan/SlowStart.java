package dev.hsdo.plan;

import dev.hsdo.config.SlowStartConfig;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;

import java.time.Duration;
import java.time.Instant;

/**
 * The weight of a server in slow start. Pure: the controller computes it from the time it plans at and
 * publishes it, so every agent applies the same weight at the same generation (a weight that differed
 * between HAProxies would move keys on their rings).
 */
final class SlowStart {
    private SlowStart() {}

    /**
     * {@code fresh} (a serving server at its full weight) with its slow-start weight.
     *
     * @param previous the same server in the previous plan, or null
     * @param serving  whether the backend already had serving servers: the servers of a backend that starts
     *                 empty all take traffic at once, ramping them would change nothing
     */
    static ServerPlan apply(ServerPlan fresh, ServerPlan previous, boolean serving, SlowStartConfig cfg, Instant now) {
        if (!cfg.enabled() || fresh.state() != ServerState.READY) return fresh;
        Instant since;
        if (previous != null && previous.state() == ServerState.READY) since = previous.rampSince();
        else since = serving ? now : null;
        if (since == null) return fresh;
        long steps = Duration.between(since, now).toMillis() / cfg.interval().toMillis();
        long level = Math.min(cfg.max(), cfg.min() + Math.max(0, steps) * cfg.increase());
        if (level >= cfg.max()) return fresh.withWeight(fresh.weight(), null);
        int weight = fresh.weight() == 0 ? 0 : (int) Math.max(1, Math.round((double) fresh.weight() * level / cfg.max()));
        return fresh.withWeight(weight, since);
    }
}
