package dev.hsdo.store.file;

import dev.hsdo.model.Plan;
import dev.hsdo.store.StoreException;
import dev.hsdo.testing.Plans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FilePlanStoreTest {
    @TempDir
    Path dir;

    private static Plan plan(long generation, int servers) {
        return Plans.of(generation, servers);
    }

    @Test
    void publishedPlanReadsBackIdentical() throws Exception {
        try (FilePlanStore store = new FilePlanStore(dir.resolve("state/plan.json"), Duration.ofSeconds(1))) {
            assertThat(store.current()).isEmpty();
            Plan p = plan(1, 3);
            Plan stored = store.publish(p, 0);
            assertThat(stored.sameContent(p)).isTrue();
            assertThat(stored.epoch()).as("a write into an empty store starts an epoch").isPositive();
            assertThat(store.current()).contains(stored);
        }
    }

    @Test
    void writerExpectingAnOlderGenerationCannotOverwriteANewerPlan() throws Exception {
        try (FilePlanStore store = new FilePlanStore(dir.resolve("plan.json"), Duration.ofSeconds(1))) {
            long epoch = store.publish(plan(1, 1), 0).epoch();
            store.publish(plan(2, 2).withEpoch(epoch), 1);
            assertThatThrownBy(() -> store.publish(plan(2, 3).withEpoch(epoch), 1))
                    .isInstanceOf(StoreException.Conflict.class)
                    .hasMessageContaining("stored generation is 2, expected 1");
            assertThat(store.current().orElseThrow().backend("app").servers()).hasSize(2);
        }
    }

    @Test
    void watcherSeesPlansFromAnotherWriterOfTheSameFile() throws Exception {
        Path file = dir.resolve("plan.json");
        try (FilePlanStore reader = new FilePlanStore(file, Duration.ofMillis(50));
             FilePlanStore writer = new FilePlanStore(file, Duration.ofSeconds(10))) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            reader.watch(p -> seen.add(p.generation()));
            long epoch = writer.publish(plan(1, 1), 0).epoch();
            writer.publish(plan(2, 1).withEpoch(epoch), 1);
            await().atMost(Duration.ofSeconds(3)).until(() -> seen.contains(2L));
            assertThat(seen).isSorted();
        }
    }

    @Test
    void corruptFileIsAnErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("plan.json");
        Files.writeString(file, "{\"generation\": 1, \"digest\": \"bad\", \"backends\": []}");
        try (FilePlanStore store = new FilePlanStore(file, Duration.ofSeconds(10))) {
            assertThatThrownBy(store::current).isInstanceOf(StoreException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("does not match its content");
        }
    }
}
