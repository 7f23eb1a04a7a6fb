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
     * is empty), so a deposed writer cannot overwrite a newer plan.
     *
     * @throws StoreException.Conflict when the stored generation differs
     */
    void publish(Plan plan, long expectedGeneration) throws StoreException;

    /** Calls {@code listener} with every plan published after this call, on the store's own thread. */
    void watch(Consumer<Plan> listener);

    @Override
    void close();
}
