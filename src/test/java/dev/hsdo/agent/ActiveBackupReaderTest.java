package dev.hsdo.agent;

import dev.hsdo.haproxy.StickEntry;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which server a backend's stick entry names: by server_key first, by server_id through the plan else. */
class ActiveBackupReaderTest {
    private static final BackendPlan PLAN = new BackendPlan("db", List.of(
            new ServerPlan("n1", 101, "n1", "10.0.0.1", 3306, 100, ServerState.READY, null, ServerOptions.defaults(), null),
            new ServerPlan("n2", 202, "n2", "10.0.0.2", 3306, 100, ServerState.READY, null, ServerOptions.defaults(), null)), null);

    @Test
    void theServerKeyNamesTheActiveServerAndItsIdComesFromThePlan() {
        // After a manual "set table ... data.server_id", HAProxy still follows server_key: so does hsdo.
        assertThat(ActiveBackupReader.of("db", List.of(new StickEntry("1", 101, "n2")), PLAN))
                .isEqualTo(new ActiveServer("db", "n2", 202));
    }

    @Test
    void anEntryWithOnlyAServerIdIsNamedThroughThePlanAndNoEntryIsNull() {
        assertThat(ActiveBackupReader.of("db", List.of(new StickEntry("1", 202, null)), PLAN))
                .isEqualTo(new ActiveServer("db", "n2", 202));
        assertThat(ActiveBackupReader.of("db", List.of(), PLAN)).isEqualTo(new ActiveServer("db", null, null));
        assertThat(ActiveBackupReader.of("db", List.of(new StickEntry("1", 999, null)), PLAN))
                .isEqualTo(new ActiveServer("db", null, 999));
    }
}
