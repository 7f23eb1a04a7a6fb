package dev.hsdo.controller;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.discovery.Source;
import dev.hsdo.model.Plan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.plan.PlanInput;
import dev.hsdo.plan.Planner;
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
 * fresh sources then (their first snapshot arrives before it plans) and closes them when it loses.
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
    private final Set<String> overrides = new HashSet<>();
    private volatile String lastError;
    private volatile WakeableLoop loop;
    private final LeaderElection election;
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
     * the first plan and starts the planning loop. Returns the plan in force.
     */
    public Plan start() throws StoreException {
        synchronized (planLock) {
            current = store.current().orElse(Plan.empty());
            if (election == null) startSources();
        }
        if (election != null) election.start(this::wake);
        Plan first = planOnce();
        loop = new WakeableLoop("hsdo-controller", config.reconcileInterval(), this::planOnce);
        return first;
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
            boolean leader = election == null || election.isLeader();
            if (!leader || !leading) {
                if (!leader) stopSources();
                // A follower tracks the store; a new leader starts from the newest stored plan.
                try {
                    current = store.current().orElse(Plan.empty());
                    lastError = null;
                } catch (StoreException e) {
                    lastError = e.getMessage();
                    leading = false;
                    return current;
                }
                leading = leader;
                if (!leader) return current;
                startSources();
            }
            Instant now = clock.instant();
            long change = snapshotChanges.get();
            // Nothing to do on a tick where no input changed: same plan, same snapshots, no override, and no
            // drain deadline or slow-start step due.
            if (current == plannedFrom && change == plannedAtChange && overrides.isEmpty()
                    && (plannedDue == null || now.isBefore(plannedDue))) return current;
            Plan next = Planner.plan(new PlanInput(current, snapshots, config, now, overrides));
            metrics.planned();
            // An override is spent once the released backend is no longer held back.
            overrides.removeIf(b -> next.backend(b) != null && next.backend(b).heldBack() == null);
            if (next == current) {
                planned(next, change);
                return current;
            }
            try {
                store.publish(next, current.generation());
                next.backends().stream().filter(b -> b.heldBack() != null)
                        .forEach(b -> log.warn("backend {}: {}", b.name(), b.heldBack()));
                log.info("published plan {} ({} servers)", next.generation(),
                        next.backends().stream().mapToInt(b -> b.servers().size()).sum());
                current = next;
                lastError = null;
                metrics.published(next);
                planned(next, change);
            } catch (StoreException.Conflict e) {
                // Someone else wrote: start again from what is stored.
                lastError = e.getMessage();
                log.warn("{}", e.getMessage());
                try {
                    current = store.current().orElse(Plan.empty());
                } catch (StoreException re) {
                    lastError = re.getMessage();
                }
                wake();
            } catch (StoreException e) {
                lastError = e.getMessage();
                log.warn("cannot publish plan {}: {}", next.generation(), e.getMessage());
            }
            return current;
        }
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
        // Resign after the loop stopped, so no publish can follow the resignation.
        if (election != null) election.close();
    }
}
