package dev.hsdo.store;

import dev.hsdo.model.Plan;
import dev.hsdo.testing.Plans;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What every shared store does when it is wiped under its writer and a watcher: the same check for each. */
public final class WipedStoreCheck {
    private WipedStoreCheck() {}

    /**
     * Publishes two plans through {@code writer}, runs {@code wipe} (which deletes every key or item of the fleet),
     * publishes into the empty store, and checks that the store started a later epoch that {@code reader}'s
     * watcher follows from generation 1, and that the wiped epoch can no longer be written to.
     */
    public static void aWriteIntoTheWipedStoreStartsALaterEpochThatWatchersFollow(PlanStore writer, PlanStore reader,
                                                                                   Callable<?> wipe) throws Exception {
        List<Plan> seen = new CopyOnWriteArrayList<>();
        reader.watch(seen::add);
        Plan p1 = writer.publish(Plans.of(1, 1), 0);
        // A polling watcher sees only the plans in force when it looks: one at a time here.
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(p1));
        Plan p2 = writer.publish(Plans.of(2, 2).withEpoch(p1.epoch()), 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(p2));
        assertThat(reader.current()).contains(p2);

        wipe.call();
        assertThat(reader.current()).isEmpty();

        Plan reset = writer.publish(Plans.of(1, 3), 0);
        assertThat(reset.epoch()).as("a later epoch than the wiped store's").isGreaterThan(p2.epoch());
        assertThat(reset.supersedes(p2)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(reset));
        assertThat(seen).containsExactly(p1, p2, reset);
        assertThat(reader.current()).contains(reset);
        // The stale epoch can no longer be written to, even at the stored generation.
        assertThatThrownBy(() -> writer.publish(Plans.of(2, 4).withEpoch(p2.epoch()), 1))
                .isInstanceOf(StoreException.Conflict.class).hasMessageContaining("of epoch " + reset.epoch());
    }
}
