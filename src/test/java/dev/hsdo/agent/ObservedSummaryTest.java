package dev.hsdo.agent;

import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.store.HaproxyServers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ObservedSummaryTest {
    private static ServerStateRow row(String name, int opState, int adminState) {
        return new ServerStateRow(3, "app", name.hashCode() & 0xffff, name, "10.0.0.1", 80, opState, adminState, 100, 100, 6, true, null);
    }

    private static StatRow stat(String name, long sessions) {
        return new StatRow("app", name, "UP", sessions, sessions, 0, 100, 0, sessions * 10, Map.of());
    }

    private static final List<ServerStateRow> ROWS = List.of(
            row("s3", 0, 0), row("s1", 2, 0), row("s2", 0, 0), row("s4", 0, ServerStateRow.FMAINT), row("s5", 2, ServerStateRow.FDRAIN));

    @Test
    void serversAreCountedUpDownOrInMaintenanceWithTheDownOnesNamedAndTheSessionsSummed() {
        Observed full = new Observed(Map.of("app", ROWS), Map.of("app", Map.of("s1", stat("s1", 3), "s5", stat("s5", 4))));
        HaproxyServers app = full.summary(Map.of()).get("app");
        // a draining server still runs: it counts as up; one in maintenance is neither up nor down
        assertThat(app).isEqualTo(new HaproxyServers(2, 2, 1, 7, List.of("s2", "s3")));
    }

    @Test
    void aReadWithoutStatRowsKeepsTheSessionsLastCountedAndCountsStatesAnew() {
        Observed quiet = new Observed(Map.of("app", ROWS.subList(0, 2)), Map.of());
        HaproxyServers app = quiet.summary(Map.of("app", new HaproxyServers(5, 0, 0, 42, List.of()))).get("app");
        assertThat(app).isEqualTo(new HaproxyServers(1, 1, 0, 42, List.of("s3")));
        assertThat(quiet.summary(Map.of()).get("app").sessions()).isZero();
    }

    @Test
    void aReportNamesAtMostTwentyDownServersWhileItsCountSaysHowManyThereAre() {
        List<String> names = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "d" + i).toList();
        HaproxyServers s = new HaproxyServers(0, 30, 0, 0, names);
        assertThat(s.down()).isEqualTo(30);
        assertThat(s.downServers()).hasSize(HaproxyServers.MAX_NAMED).startsWith("d0");
    }
}
