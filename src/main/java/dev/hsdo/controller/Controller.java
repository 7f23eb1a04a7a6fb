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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sources → planner → store. Plans on every source change and every reconcile interval (so drains end on
 * time), and publishes only when the plan's content changed, with a generation compare-and-set so that a
 * writer that fell behind can never overwrite a newer plan.
 *
 * <p>With a {@link LeaderElection}, only the leader plans and publishes; a follower keeps reading the
 * stored plan, so that when it takes over it continues from the newest generation and its drains.
 */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final HsdoConfig config;
    private final List<Source> sources;
    private final PlanStore store;
    private final Clock clock;
    private final ControllerMetrics metrics;
    private final Map<String, SourceSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Object planLock = new Object();
    // guarded by planLock: the last plan published or read, and the backends released from the guard
    private Plan current = Plan.empty();
    private final Set<String> overrides = new HashSet<>();
    private volatile String lastError;
    private volatile WakeableLoop loop;
    private final LeaderElection election;
    // guarded by planLock: whether the last round ran as leader
    private boolean leading;

    /** A controller that always publishes: the only one on its store. */
    public Controller(HsdoConfig config, List<Source> sources, PlanStore store, Clock clock, ControllerMetrics metrics) {
        this(config, sources, store, clock, metrics, null);
    }

    /** A controller that publishes only while {@code election} (null: always) says it leads. */
    public Controller(HsdoConfig config, List<Source> sources, PlanStore store, Clock clock, ControllerMetrics metrics,
                      LeaderElection election) {
        this.election = election;
        this.config = config;
        this.sources = List.copyOf(sources);
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
        }
        for (Source s : sources) s.start(snap -> {
            SourceSnapshot old = snapshots.put(snap.source(), snap);
            metrics.source(snap, old);
            wake();
        });
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
            }
            Plan next = Planner.plan(new PlanInput(current, snapshots, config, clock.instant(), overrides));
            // An override is spent once the released backend is no longer held back.
            overrides.removeIf(b -> next.backend(b) != null && next.backend(b).heldBack() == null);
            if (next == current) return current;
            try {
                store.publish(next, current.generation());
                next.backends().stream().filter(b -> b.heldBack() != null)
                        .forEach(b -> log.warn("backend {}: {}", b.name(), b.heldBack()));
                log.info("published plan {} ({} servers)", next.generation(),
                        next.backends().stream().mapToInt(b -> b.servers().size()).sum());
                current = next;
                lastError = null;
                metrics.published(next);
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
        for (Source s : sources) s.close();
        if (loop != null) loop.close();
        // Resign after the loop stopped, so no publish can follow the resignation.
        if (election != null) election.close();
    }
}
