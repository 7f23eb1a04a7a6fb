package dev.hsdo.store;

/**
 * One leader among the controllers sharing a store, by a lease that the leader keeps renewing. A leader
 * that cannot renew steps down by itself before its lease can have expired in the store, so two
 * controllers never both believe they lead for longer than a renewal takes. What remains is closed by the
 * {@link Fence}: the store checks in the same write as a plan that its publisher still holds the lease.
 */
public interface LeaderElection extends AutoCloseable {
    /** Starts campaigning; {@code onChange} runs (on the election's thread) whenever leadership is won or lost. */
    void start(Runnable onChange);

    /** Whether this candidate leads now. */
    boolean isLeader();

    /**
     * The proof of the leadership this candidate holds now, for {@link PlanStore#publish(dev.hsdo.model.Plan, long, Fence)},
     * or null when it does not lead.
     */
    Fence fence();

    /**
     * The store refused a write fenced with {@code fence} ({@link StoreException.Fenced}): this candidate no
     * longer leads under it. It stops leading at once (running the callback) and looks at the store again,
     * so it leads anew only if the store says so.
     */
    void lost(Fence fence);

    /** The id of the candidate that leads, as last seen in the store, or null when none does. */
    String leaderId();

    /** Stops campaigning and gives leadership up at once, so another candidate need not wait for the lease. */
    @Override
    void close();
}
