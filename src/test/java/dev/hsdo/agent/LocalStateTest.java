package dev.hsdo.agent;

import dev.hsdo.model.Plan;
import dev.hsdo.testing.Plans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's files in its data directory: the last applied plan and its instance id. */
class LocalStateTest {
    @TempDir
    Path dir;

    @Test
    void theLastAppliedPlanIsKeptWithItsEpochAndReadBackByTheNextStart() {
        Plan plan = Plans.of(11, 4).withEpoch(3);
        new LocalState(dir).savePlan(plan);

        Plan read = new LocalState(dir).loadPlan().orElseThrow();
        assertThat(read).isEqualTo(plan);
        assertThat(read.epoch()).isEqualTo(3);
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void aDamagedOrMissingPlanFileIsIgnoredNotFatal() throws Exception {
        LocalState state = new LocalState(dir);
        assertThat(state.loadPlan()).isEmpty();
        Files.writeString(state.planFile(), "{\"generation\": 7, \"digest\": \"0000\", \"backends\": [");
        assertThat(state.loadPlan()).isEmpty();
        Files.writeString(state.planFile(), "not json at all");
        assertThat(state.loadPlan()).isEmpty();
        // The next save replaces it.
        state.savePlan(Plans.of(2, 1));
        assertThat(new LocalState(dir).loadPlan()).contains(Plans.of(2, 1));
    }

    @Test
    void theInstanceIdIsKeptAcrossRestartsAndDiffersBetweenDirectories() throws Exception {
        String first = new LocalState(dir).instance();
        assertThat(new LocalState(dir).instance()).isEqualTo(first);
        assertThat(new LocalState(Files.createDirectories(dir.resolve("other"))).instance()).isNotEqualTo(first);
    }
}
