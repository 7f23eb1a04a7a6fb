package dev.hsdo.store;

import dev.hsdo.model.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The watchers of one store and the generation they last saw. Every store learns of plans in its own way
 * (a local write, a watch event, a poll, a resync after a reconnect), often twice: the feed hands each
 * watcher every newer generation once and in order, and drops the rest.
 */
public final class PlanFeed {
    private static final Logger log = LoggerFactory.getLogger(PlanFeed.class);

    private final List<Consumer<Plan>> watchers = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    // guarded by lock: the plan last delivered, and the calls to the watchers (so they see generations in order)
    private Plan delivered;

    /** Adds a watcher for plans delivered from now on. */
    public void add(Consumer<Plan> watcher) {
        watchers.add(watcher);
    }

    /**
     * Hands {@code plan} to every watcher if it supersedes the last one delivered (a higher generation, or a
     * newer store epoch); returns whether it was.
     */
    public boolean deliver(Plan plan) {
        synchronized (lock) {
            if (delivered != null && !plan.supersedes(delivered)) return false;
            delivered = plan;
            for (Consumer<Plan> w : watchers) {
                try {
                    w.accept(plan);
                } catch (RuntimeException e) {
                    log.warn("plan watcher failed on generation {}", plan.generation(), e);
                }
            }
            return true;
        }
    }

    /** The generation last delivered, -1 before the first. */
    public long delivered() {
        synchronized (lock) {
            return delivered == null ? -1 : delivered.generation();
        }
    }
}
