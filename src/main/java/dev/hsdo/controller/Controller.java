package dev.hsdo.controller;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.discovery.Source;
import dev.hsdo.model.Plan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.plan.PlanInput;
import dev.hsdo.plan.Planner;
import dev.hsdo.store.Fence;
import dev.hsdo.store.LeaderElection;
import dev.hsdo.store.PlanStore;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.WakeableLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sources → planner → store. Plans on every source change and every reconcile interval (so drains end on
 * time) unless no input changed since the last plan (then the tick costs nothing), and publishes only when
 * the plan's content changed, with a generation compare-and-set so that a
 * writer that fell behind can never overwrite a newer plan.
 *
 * <p>With a {@link LeaderElection}, only the leader runs the sources, plans and publishes, so the fleet
 * calls the discovery API once whatever the number of controllers. A follower keeps reading the stored
 * plan, so that when it takes over it continues from the newest generation and its drains; it starts
 * fresh sources then (their first snapshot arrives before it plans) and closes them when it loses. Every
 * publish carries the election's {@link Fence}: a store that finds the lease no longer held refuses it, and
 * the controller steps down at once.
 *
 * <p>A store that lost the plan in force (its keys or items deleted) is given that plan's content again,
 * in the new epoch the store starts, rather than a plan built from nothing: drains, slots and ramps carry on.
 */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final HsdoConfig config;
    private final Supplier<List<Source>> sourceFactory;
    // the sources running now (written under planLock), or null while not leading
    private volatile List<Source> running;
    private final PlanStore store;
    private final Clock clock;
    private final ControllerMetrics metrics;
    private final Map<String, SourceSnapshot> snapshots = new ConcurrentHashMap<>();
    // bumped after every change of snapshots, so that an unchanged tick is recognised without comparing them
    private final AtomicLong snapshotChanges = new AtomicLong();
    private final Object planLock = new Object();
    // guarded by planLock: the last plan published or read, and the backends released from the guard
    private Plan current = Plan.empty();
    // guarded by planLock: what the store was last seen holding (null: nothing), which the next publish replaces;
    // the plan in force, unless the store lost it
    private Plan stored;
    private final Set<String> overrides = new HashSet<>();
    private volatile String lastError;
    private volatile WakeableLoop loop;
    private final LeaderElection election;
    private volatile TenantBook tenants;
    private final TenantMoves moves = new TenantMoves();
    // guarded by planLock: whether the last round ran as leader
    private boolean leading;
    // guarded by planLock: the inputs of the last plan that took effect (null: plan on the next round), and
    // when that plan could change with time alone (null: never)
    private Plan plannedFrom;
    private long plannedAtChange = -1;
    private Instant plannedDue;

    /** A controller that always publishes: the only one on its store. */
    public Controller(HsdoConfig config, List<Source> sources, PlanStore store, Clock clock, ControllerMetrics metrics) {
        this(config, () -> List.copyOf(sources), store, clock, metrics, null);
    }

    /**
     * A controller that publishes only while {@code election} (null: always) says it leads.
     *
     * @param sources new, not yet started sources, asked for each time this controller takes the lead
     */
    public Controller(HsdoConfig config, Supplier<List<Source>> sources, PlanStore store, Clock clock,
                      ControllerMetrics metrics, LeaderElection election) {
        this.election = election;
        this.config = config;
        this.sourceFactory = sources;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Reads the stored plan (so a restart keeps generations and drains), starts the sources, publishes
     * the first plan and starts the planning loop. Returns the plan in force. With an election, a store that
     * does not answer yet is no failure: the controller starts, reports it ({@link #lastError()}) and reads
     * again every round.
     *
     * @throws StoreException without an election, when the store cannot be read
     */
    public Plan start() throws StoreException {
        synchronized (planLock) {
            // With an election the first round reads the store, and keeps trying while it does not answer.
            if (election == null) {
                follow(store.current());
                startSources();
            }
        }
        if (election != null) election.start(this::wake);
        Plan first = planOnce();
        loop = new WakeableLoop("hsdo-controller", config.reconcileInterval(), this::planOnce);
        return first;
    }

    /**
     * Adds the tenant table to every plan from now on; call before {@link #start}. A change of the table plans
     * again at once.
     */
    public void useTenants(TenantBook book) {
        this.tenants = book;
        book.start(() -> {
            snapshotChanges.incrementAndGet();
            wake();
        });
    }

    /** The tenant table's book, or null when tenants are not configured. */
    public TenantBook tenants() {
        return tenants;
    }

    /** The latest tenant moves. */
    public TenantMoves moves() {
        return moves;
    }

    /** Plans again at once. */
    public void wake() {
        WakeableLoop l = loop;
        if (l != null) l.wake();
    }

    /** Lets the held-back change of {@code backend} through on the next plan. */
    public boolean releaseGuard(String backend) {
        if (config.backend(backend) == null) return false;
        synchronized (planLock) {
            overrides.add(backend);
        }
        wake();
        return true;
    }

    /** Plans now, publishes if changed, and returns the plan in force. */
    public Plan planOnce() {
        synchronized (planLock) {
            Fence fence = election == null ? Fence.NONE : election.fence();
            boolean leader = fence != null;
            if (!leader || !leading) {
                if (!leader) stopSources();
                // A follower tracks the store; a new leader starts from the newest stored plan.
                try {
                    follow(store.current());
                    lastError = null;
                } catch (StoreException e) {
                    lastError = e.getMessage();
                    leading = false;
                    return current;
                }
                leading = leader;
                if (!leader) return current;
                if (tenants != null) tenants.restore(current.tenants());
                startSources();
            }
            Instant now = clock.instant();
            TenantBook book = tenants;
            if (book != null) book.poll();
            long change = snapshotChanges.get();
            // Nothing to do on a tick where no input changed: same plan, same snapshots, no override, and no
            // drain deadline or slow-start step due.
            // A store that lost the plan in force (wiped) gets it again even when nothing else changed.
            boolean lost = current.generation() > 0 && current != stored && !current.equals(stored);
            if (!lost && current == plannedFrom && change == plannedAtChange && overrides.isEmpty()
                    && (plannedDue == null || now.isBefore(plannedDue))) return current;
            Plan next = Planner.plan(new PlanInput(current, snapshots, config, now, overrides, book == null ? null : book.table()));
            metrics.planned();
            // An override is spent once the released backend is no longer held back.
            overrides.removeIf(b -> next.backend(b) != null && next.backend(b).heldBack() == null);
            if (next == current && !lost) {
                planned(next, change);
                return current;
            }
            if (publish(lost && next == current ? new Plan(current.generation() + 1, null, current.backends(), 0, current.tenants()) : next, fence, lost))
                planned(current, change);
            return current;
        }
    }

    // Called under planLock: publishes {@code next} in place of what the store holds, fenced by {@code fence};
    // returns whether the store took it.
    private boolean publish(Plan next, Fence fence, boolean lost) {
        // Over a store that lost the plan in force: the store starts a new epoch if it is empty.
        Plan plan = next.withEpoch(stored == null ? current.epoch() : stored.epoch());
        try {
            Plan published = store.publish(plan, stored == null ? 0 : stored.generation(), fence);
            if (lost) log.warn("the store had lost plan {} (it held {}): its content went out again as plan {} of epoch {}",
                    current.generation(), stored == null ? "nothing" : "plan " + stored.generation(),
                    published.generation(), published.epoch());
            published.backends().stream().filter(b -> b.heldBack() != null)
                    .forEach(b -> log.warn("backend {}: {}", b.name(), b.heldBack()));
            log.info("published plan {} ({} servers)", published.generation(),
                    published.backends().stream().mapToInt(b -> b.servers().size()).sum());
            int moved = moves.record(current.tenants(), published.tenants(), published.generation());
            if (moved > 0) log.info("plan {} moves {} tenants", published.generation(), moved);
            current = published;
            stored = published;
            lastError = null;
            metrics.published(published);
            return true;
        } catch (StoreException.Fenced e) {
            // Not a race to retry: this controller no longer holds the lease. It steps down; the election
            // decides whether it leads again.
            lastError = e.getMessage();
            log.warn("stepping down: {}", e.getMessage());
            metrics.fenced();
            leading = false;
            stopSources();
            if (election != null) election.lost(fence);
            return false;
        } catch (StoreException.Conflict e) {
            // Someone else wrote, or the store was wiped: start again from what is stored.
            lastError = e.getMessage();
            log.warn("{}", e.getMessage());
            try {
                follow(store.current());
            } catch (StoreException re) {
                lastError = re.getMessage();
            }
            wake();
            return false;
        } catch (StoreException e) {
            lastError = e.getMessage();
            log.warn("cannot publish plan {}: {}", plan.generation(), e.getMessage());
            return false;
        }
    }

    /**
     * Called under planLock with what the store holds: the controller follows it, unless it is older than the
     * plan in force (the store was wiped, or put back to an older copy). That plan is then kept, to be
     * published again over what the store holds.
     */
    private void follow(Optional<Plan> read) {
        stored = read.orElse(null);
        if (stored != null && !current.supersedes(stored)) current = stored;
    }

    // Called under planLock: records the inputs of a plan that took effect (a failed publish records nothing,
    // so the next round tries again).
    private void planned(Plan plan, long change) {
        plannedFrom = plan;
        plannedAtChange = change;
        plannedDue = Planner.nextDue(plan);
    }

    // Called under planLock. Each source reports its first snapshot before start returns.
    private void startSources() {
        if (running != null) return;
        List<Source> started = List.copyOf(sourceFactory.get());
        running = started;
        for (Source s : started) s.start(snap -> {
            // A late report from sources stopped since must not come back as a current snapshot.
            if (running != started) return;
            SourceSnapshot old = snapshots.put(snap.source(), snap);
            snapshotChanges.incrementAndGet();
            metrics.source(snap, old);
            wake();
        });
    }

    // Called under planLock.
    private void stopSources() {
        List<Source> stopping = running;
        if (stopping == null) return;
        running = null;
        for (Source s : stopping) s.close();
        snapshots.clear();
        snapshotChanges.incrementAndGet();
    }

    /** The plan in force. */
    public Plan current() {
        synchronized (planLock) {
            return current;
        }
    }

    /** The latest snapshot of every source. */
    public Map<String, SourceSnapshot> snapshots() {
        return Map.copyOf(snapshots);
    }

    /** Whether this controller publishes: it leads, or it runs without an election. */
    public boolean isLeader() {
        return election == null || election.isLeader();
    }

    /** The leading controller's id as last seen, or null (also without an election). */
    public String leaderId() {
        return election == null ? null : election.leaderId();
    }

    /** The last store error, or null. */
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        if (loop != null) loop.close();
        synchronized (planLock) {
            stopSources();
        }
        if (tenants != null) tenants.close();
        // Resign after the loop stopped, so no publish can follow the resignation.
        if (election != null) election.close();
    }
}
