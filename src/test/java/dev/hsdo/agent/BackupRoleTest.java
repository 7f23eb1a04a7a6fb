package dev.hsdo.agent;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.plan.PlanInput;
import dev.hsdo.plan.Planner;
import dev.hsdo.testing.Configs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A backup endpoint becomes a backup server, and a server whose role changes is replaced with the same id. */
class BackupRoleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final HsdoConfig config = Configs.standard(Path.of("/tmp/x"), 8080, Duration.ofSeconds(10), 0.5);

    private BackendPlan plan(boolean bBackup) {
        List<Endpoint> eps = List.of(new Endpoint("a", "10.0.0.1", 80, null, null, Map.of()),
                new Endpoint("b", "10.0.0.2", 80, null, null, Map.of(), bBackup));
        SourceSnapshot snap = SourceSnapshot.ok("servers", eps, List.of(), T0);
        return Planner.plan(new PlanInput(Plan.empty(), Map.of("servers", snap), config, T0, Set.of())).backend("app");
    }

    private static ServerStateRow row(ServerPlan s) {
        return new ServerStateRow(3, "app", s.id(), s.name(), s.address(), s.port(), 2, 0, s.weight(), s.weight(), 6, true, null);
    }

    @Test
    void aBackupEndpointIsPlannedAsABackupServerWithTheIdOfItsIdentity() {
        BackendPlan active = plan(false), backup = plan(true);
        assertThat(backup.server("b").options().backup()).isTrue();
        assertThat(backup.server("a").options().backup()).isFalse();
        assertThat(backup.server("b").id()).isEqualTo(active.server("b").id());
    }

    /** {@code show stat} rows with each server's {@code bck} column. */
    private static Map<String, StatRow> stats(BackendPlan observed, Set<String> backups) {
        return observed.servers().stream().collect(java.util.stream.Collectors.toMap(ServerPlan::name, s ->
                new StatRow("app", s.name(), "UP", 0, 0, 0, s.weight(), 0, 0, Map.of("bck", backups.contains(s.name()) ? "1" : "0"))));
    }

    @Test
    void aServerWhoseBackupFlagDiffersIsDeletedAndAddedAgain() {
        BackendPlan backup = plan(true);
        BackendPlan active = plan(false);
        List<ServerStateRow> observed = active.servers().stream().map(BackupRoleTest::row).toList();
        ServerPlan b = backup.server("b");
        assertThat(Diff.commands(backup, observed, stats(active, Set.of()))).containsExactly(
                "set server app/b state maint", "shutdown sessions server app/b", "del server app/b");
        List<ServerStateRow> afterDelete = observed.stream().filter(r -> !r.serverName().equals("b")).toList();
        assertThat(Diff.commands(backup, afterDelete, stats(active, Set.of()))).as("once gone, added again with the same id").containsExactly(
                "add server app/b " + dev.hsdo.haproxy.ServerLine.args(b), "enable health app/b", "set server app/b state ready");
        assertThat(Diff.commands(backup, observed, stats(active, Set.of("b")))).as("already a backup").isEmpty();
        assertThat(Diff.commands(backup, observed)).as("flag unknown: not compared").isEmpty();
    }
}
