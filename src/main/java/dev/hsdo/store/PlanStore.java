package dev.hsdo.store;

import dev.hsdo.model.Plan;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a plan is published whole and read whole. Readers never see half a plan; a publisher can never
 * overwrite a newer generation.
 */
public interface PlanStore extends AutoCloseable {
    /** The latest published plan, if any. */
    Optional<Plan> current() throws StoreException;

    /**
     * Publishes {@code plan} if the stored generation is still {@code expectedGeneration} (0 when the store
     * is empty) in the plan's epoch and, unless {@code fence} is {@link Fence#NONE}, the fence's leader lease
     * still holds, all checked in the one write. A write into an empty store (the first, or the first after
     * the store was wiped) starts a new store epoch, later than any before it, whatever the plan's epoch.
     *
     * @return the plan as stored, with its epoch
     * @throws StoreException.Conflict when the stored generation or epoch differs
     * @throws StoreException.Fenced   when the fence's lease is no longer held
     */
    Plan publish(Plan plan, long expectedGeneration, Fence fence) throws StoreException;

    /** Publishes unfenced: for a writer alone on its store. See {@link #publish(Plan, long, Fence)}. */
    default Plan publish(Plan plan, long expectedGeneration) throws StoreException {
        return publish(plan, expectedGeneration, Fence.NONE);
    }

    /**
     * The epoch of a store written while empty at {@code nowMillis} by a writer whose plan was of
     * {@code previousEpoch}: the clock, so successive resets of one store get increasing epochs, and never
     * less than one past the writer's own, so readers of that epoch follow the new one even across clock skew.
     */
    static long newEpoch(long nowMillis, long previousEpoch) {
        return Math.max(nowMillis, previousEpoch + 1);
    }

    /** Calls {@code listener} with every plan published after this call, on the store's own thread. */
    void watch(Consumer<Plan> listener);

    @Override
    void close();
}
