package dev.hsdo.store;

import java.util.Objects;

/**
 * What proves that a publisher holds the leader lease, handed out by {@link LeaderElection#fence()} and checked
 * by the store in the same write as the plan ({@link PlanStore#publish(dev.hsdo.model.Plan, long, Fence)}): a
 * leader whose lease ran out, or that was deposed, cannot write even when its generation is right.
 *
 * @param holder the candidate that holds the lease
 * @param token  which holding of it, as the store tells them apart: in etcd the create revision of the leader
 *               key this candidate created (a key re-created after the lease expired has another one); the
 *               DynamoDB lock is checked by its holder and expiry, and its token is 0
 */
public record Fence(String holder, long token) {
    /** No election: a controller alone on its store (standalone, the file store) publishes unfenced. */
    public static final Fence NONE = new Fence("", 0);

    public Fence {
        Objects.requireNonNull(holder, "holder");
        if (token < 0) throw new IllegalArgumentException("fence token must be >= 0, got " + token);
    }

    /** Whether this is {@link #NONE}: the write is not fenced. */
    public boolean none() {
        return this.equals(NONE);
    }
}
