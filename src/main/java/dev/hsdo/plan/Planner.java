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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure function (previous plan, snapshots, config, now) → plan. No I/O, no wall clock: the same
 * input gives the same plan, byte for byte, whatever order the sources listed their endpoints in.
 *
 * <p>Per backend: a source never read leaves the backend as it was ({@link #frozen}); servers of the
 * previous plan keep their ids; the mass-removal guard holds back only the removal of serving servers
 * (additions, weight changes and the end of expired drains still go through).
 */
public final class Planner {
    private Planner() {}

    /**
     * The next plan. Its generation is the previous one when nothing changed, else one more.
     */
    public static Plan plan(PlanInput in) {
        List<BackendPlan> backends = new ArrayList<>();
        for (BackendConfig be : in.config().backends()) backends.add(planBackend(be, in));
        // Built in the previous plan's epoch at once: withEpoch would compute the digest a second time.
        Plan next = new Plan(in.previous().generation() + 1, null, backends, in.previous().epoch(),
                in.tenants() == null ? in.previous().tenants() : in.tenants());
        PlanCheck.check(next, in.config());
        return next.sameContent(in.previous()) ? in.previous() : next;
    }

    private static BackendPlan planBackend(BackendConfig be, PlanInput in) {
        BackendPlan previous = in.previous().backend(be.name());
        List<ServerPlan> prevServers = previous == null ? List.of() : previous.servers();
        Map<String, Endpoint> endpoints = new HashMap<>();
        for (String source : be.sources()) {
            SourceSnapshot snap = in.snapshots().get(source);
            // A source that has not reported, or has never been read, says nothing about the servers: its
            // empty list is not "no servers". The backend stays as it was (only expired drains end).
            if (snap == null || !snap.everRead()) return frozen(be.name(), previous, in.now());
            for (Endpoint e : snap.endpoints())
                if (be.select() == null || be.select().matches(e.meta())) endpoints.putIfAbsent(e.identity(), e);
        }
        Map<String, ServerPlan> before = new HashMap<>(prevServers.size() * 2);
        for (ServerPlan old : prevServers) before.put(old.identity(), old);

        // The guard holds back the removal of serving servers, nothing else: those stay as they were.
        int serving = 0;
        List<ServerPlan> removedServing = new ArrayList<>();
        for (ServerPlan old : prevServers) {
            if (old.state() != ServerState.READY) continue;
            serving++;
            if (!endpoints.containsKey(old.identity())) removedServing.add(old);
        }
        String held = Guard.check(be.name(), serving, removedServing.stream().map(ServerPlan::name).toList(),
                in.config().guard().maxRemovalFraction());
        if (held != null && in.guardOverrides().contains(be.name())) held = null;

        Map<String, Integer> ids = be.slots() != null ? Map.of() : ids(endpoints.keySet(), before, held != null ? removedServing : List.of());
        Set<Integer> idsTaken = new HashSet<>(ids.values());
        ServerOptions options = options(be);
        String firstActive = be.activeBackup() ? ActiveBackup.first(endpoints) : null;
        boolean wasServing = serving > 0;
        // Slots are placed in identity order; dynamic servers are sorted by id in the BackendPlan anyway.
        Map<String, ServerPlan> servers = be.slots() != null ? new TreeMap<>() : new HashMap<>(endpoints.size() * 2);
        for (Map.Entry<String, Endpoint> entry : endpoints.entrySet()) {
            // The map's key, not e.identity(): that builds a new string (and hashes it again) on every call.
            String identity = entry.getKey();
            Endpoint e = entry.getValue();
            Integer metaWeight = MetaOptions.weight(e.meta());
            int weight = e.weight() != null ? e.weight() : metaWeight != null ? metaWeight : be.serverDefaults().weight();
            ServerPlan old = before.get(identity);
            int id = be.slots() != null ? 1 : ids.get(identity);
            ServerOptions serverOptions = MetaOptions.apply(e.backup() ? options.withBackup(true) : options, e.meta());
            if (firstActive != null) serverOptions = serverOptions.withBackup(ActiveBackup.isBackup(identity, firstActive, old));
            ServerPlan fresh;
            if (old != null && old.id() == id && unchanged(old, e, weight, serverOptions)) {
                // An incumbent that did not change is reused as it is: no name, no validation, no garbage.
                fresh = old;
            } else {
                // An incumbent keeps its name as well as its id (no re-deriving it).
                String name = old != null && old.id() == id ? old.name() : ServerNames.of(identity);
                fresh = new ServerPlan(name, id, identity, e.address(), e.port(), weight, ServerState.READY, e.zone(),
                        serverOptions, null);
            }
            servers.put(identity, SlowStart.apply(fresh, old, wasServing, be.slowStart(), in.now()));
        }
        for (ServerPlan old : prevServers) {
            if (servers.containsKey(old.identity())) continue;
            if (held != null && old.state() == ServerState.READY) {
                servers.put(old.identity(), old);
                continue;
            }
            ServerPlan leaving = leaving(old, in.now(), in.config().drainPeriod());
            // A leaving server whose id a newcomer now owns goes at once: a newcomer takes its natural id when
            // free of serving servers, so that instances agree. (A slot keeps its server until the drain
            // ends: slots are placed after this.)
            if (leaving != null && (be.slots() != null || !idsTaken.contains(leaving.id())))
                servers.put(old.identity(), leaving);
        }
        if (be.slots() != null) {
            Slots.Placement placed = Slots.place(servers, prevServers, be.slots());
            String overflow = placed.problem(be.slots().count());
            String problem = held == null ? overflow : overflow == null ? held : held + "; " + overflow;
            return new BackendPlan(be.name(), placed.servers(), problem);
        }
        return new BackendPlan(be.name(), List.copyOf(servers.values()), held);
    }

    /** Whether {@code old}, a serving server at full weight, is what endpoint {@code e} would make of it now. */
    private static boolean unchanged(ServerPlan old, Endpoint e, int weight, ServerOptions options) {
        return old.state() == ServerState.READY && old.rampSince() == null && old.drainUntil() == null
                && old.weight() == weight && old.port() == e.port() && old.address().equals(e.address())
                && Objects.equals(old.zone(), e.zone()) && old.options().equals(options);
    }

    /**
     * Server ids: present servers of the previous plan keep theirs (a changed id would cut a serving server),
     * as do serving servers whose removal the guard holds back; newcomers take free natural ids.
     */
    private static Map<String, Integer> ids(Set<String> present, Map<String, ServerPlan> before, List<ServerPlan> heldServers) {
        Map<String, Integer> kept = new HashMap<>(present.size() * 2);
        for (String identity : present) {
            ServerPlan old = before.get(identity);
            if (old != null && isDynamic(old)) kept.put(identity, old.id());
        }
        for (ServerPlan h : heldServers) kept.put(h.identity(), h.id());
        return ServerIds.assign(present, kept);
    }

    /** Whether {@code s} was planned as a dynamic server (not in a template slot), so its id is an identity id. */
    private static boolean isDynamic(ServerPlan s) {
        // Most identities are valid names and name themselves: a string comparison, no pattern match.
        return s.id() <= ServerIds.MAX_ID && (s.name().equals(s.identity()) || s.name().equals(ServerNames.of(s.identity())));
    }

    /**
     * The backend as it was while one of its sources was never read: nothing is added, changed or removed,
     * except that drains whose deadline passed end (their removal was decided by a good read before, and a
     * drain that never ended would keep a leaving server in HAProxy for as long as the source stays unread).
     */
    private static BackendPlan frozen(String name, BackendPlan previous, Instant now) {
        if (previous == null) return new BackendPlan(name, List.of(), null);
        List<ServerPlan> kept = previous.servers().stream()
                .filter(s -> s.state() != ServerState.DRAIN || s.drainUntil() == null || now.isBefore(s.drainUntil()))
                .toList();
        return kept.size() == previous.servers().size() ? previous : new BackendPlan(name, kept, previous.heldBack());
    }

    /**
     * The earliest time at which planning {@code plan} again with the same snapshots could give another plan:
     * the first drain deadline, or {@link Instant#MIN} while a server ramps up (its weight steps with time);
     * null when only a change of input can change it. Lets the controller skip unchanged ticks.
     */
    public static Instant nextDue(Plan plan) {
        Instant due = null;
        for (BackendPlan b : plan.backends()) {
            for (ServerPlan s : b.servers()) {
                if (s.rampSince() != null) return Instant.MIN;
                if (s.drainUntil() != null && (due == null || s.drainUntil().isBefore(due))) due = s.drainUntil();
            }
        }
        return due;
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
                hc.fastinter().toMillis(), hc.downinter().toMillis(), hc.rise(), hc.fall(), true, false, be.activeBackup());
    }
}
