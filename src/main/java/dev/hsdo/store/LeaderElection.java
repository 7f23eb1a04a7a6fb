package dev.hsdo.store;

/**
 * One leader among the controllers sharing a store, by a lease that the leader keeps renewing. A leader
 * that cannot renew steps down by itself before its lease can have expired in the store, so two
 * controllers never both believe they lead for longer than a renewal takes; the generation
 * compare-and-set of {@link PlanStore#publish} fences what remains.
 */
public interface LeaderElection extends AutoCloseable {
    /** Starts campaigning; {@code onChange} runs (on the election's thread) whenever leadership is won or lost. */
    void start(Runnable onChange);

    /** Whether this candidate leads now. */
    boolean isLeader();

    /** The id of the candidate that leads, as last seen in the store, or null when none does. */
    String leaderId();

    /** Stops campaigning and gives leadership up at once, so another candidate need not wait for the lease. */
    @Override
    void close();
}
