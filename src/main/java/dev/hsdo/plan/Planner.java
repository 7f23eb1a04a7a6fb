package dev.hsdo.plan;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HealthCheck;
import dev.hsdo.config.ServerDefaults;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.MetaOptions;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import dev.hsdo.model.SourceSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pure function (previous plan, snapshots, config, now) → plan. No I/O, no wall clock: the same
 * input gives the same plan, byte for byte, whatever order the sources listed their endpoints in.
 */
public final class Planner {
    private Planner() {}

    /**
     * The next plan. Its generation is the previous one when nothing changed, else one more.
     */
    public static Plan plan(PlanInput in) {
        List<BackendPlan> backends = new ArrayList<>();
        for (BackendConfig be : in.config().backends()) backends.add(planBackend(be, in));
        Plan next = Plan.of(in.previous().generation() + 1, backends).withEpoch(in.previous().epoch());
        PlanCheck.check(next, in.config());
        return next.sameContent(in.previous()) ? in.previous() : next;
    }

    private static BackendPlan planBackend(BackendConfig be, PlanInput in) {
        BackendPlan previous = in.previous().backend(be.name());
        List<ServerPlan> prevServers = previous == null ? List.of() : previous.servers();
        Map<String, Endpoint> endpoints = new TreeMap<>();
        for (String source : be.sources()) {
            SourceSnapshot snap = in.snapshots().get(source);
            // A source that has not reported yet says nothing: keep what the backend had.
            if (snap == null) return previous != null ? previous : new BackendPlan(be.name(), List.of(), null);
            for (Endpoint e : snap.endpoints())
                if (be.select() == null || be.select().matches(e.meta())) endpoints.putIfAbsent(e.identity(), e);
        }
        Map<String, Integer> ids = ServerIds.assign(endpoints.keySet());
        ServerOptions options = options(be);
        Map<String, ServerPlan> before = new TreeMap<>();
        for (ServerPlan old : prevServers) before.put(old.identity(), old);
        boolean wasServing = prevServers.stream().anyMatch(s -> s.state() == ServerState.READY);
        Map<String, ServerPlan> servers = new TreeMap<>();
        for (Endpoint e : endpoints.values()) {
            Integer metaWeight = MetaOptions.weight(e.meta());
            int weight = e.weight() != null ? e.weight() : metaWeight != null ? metaWeight : be.serverDefaults().weight();
            ServerPlan fresh = new ServerPlan(ServerNames.of(e.identity()), ids.get(e.identity()), e.identity(),
                    e.address(), e.port(), weight, ServerState.READY, e.zone(),
                    MetaOptions.apply(e.backup() ? options.withBackup(true) : options, e.meta()), null);
            servers.put(e.identity(), SlowStart.apply(fresh, before.get(e.identity()), wasServing, be.slowStart(), in.now()));
        }
        int serving = 0;
        List<String> removed = new ArrayList<>();
        for (ServerPlan old : prevServers) {
            if (old.state() == ServerState.READY) serving++;
            if (servers.containsKey(old.identity())) continue;
            if (old.state() == ServerState.READY) removed.add(old.name());
            ServerPlan leaving = leaving(old, in.now(), in.config().drainPeriod());
            // A leaving server whose id a present endpoint now owns goes at once: present endpoints'
            // ids depend only on the present set, so that every instance agrees. (A slot keeps its server
            // until the drain ends: slots are placed after this.)
            if (leaving != null && (be.slots() != null || !ids.containsValue(leaving.id())))
                servers.put(old.identity(), leaving);
        }
        String held = Guard.check(be.name(), serving, removed, in.config().guard().maxRemovalFraction());
        if (held != null && !in.guardOverrides().contains(be.name())) {
            return new BackendPlan(be.name(), previous.servers(), held);
        }
        if (be.slots() != null) {
            Slots.Placement placed = Slots.place(servers, prevServers, be.slots());
            return new BackendPlan(be.name(), placed.servers(), placed.problem(be.slots().count()));
        }
        return new BackendPlan(be.name(), List.copyOf(servers.values()), null);
    }

    /** What becomes of a server that left its source: drained until its deadline, then gone (null). */
    private static ServerPlan leaving(ServerPlan old, Instant now, java.time.Duration drainPeriod) {
        if (old.state() == ServerState.READY) {
            if (drainPeriod.isZero()) return null;
            return old.withState(ServerState.DRAIN, now.plus(drainPeriod));
        }
        if (old.drainUntil() != null && now.isBefore(old.drainUntil())) return old;
        return null;
    }

    /** The server keywords every server of {@code be} gets. */
    static ServerOptions options(BackendConfig be) {
        HealthCheck hc = be.healthCheck();
        ServerDefaults d = be.serverDefaults();
        return new ServerOptions(d.maxconn(), d.ssl(), d.sslVerify(), hc.enabled(), hc.inter().toMillis(),
                hc.fastinter().toMillis(), hc.downinter().toMillis(), hc.rise(), hc.fall(), true, false);
    }
}
