package dev.hsdo.agent;

import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiffTest {
    private static final ServerOptions NO_CHECK = new ServerOptions(0, false, false, false, 2000, 500, 2000, 2, 3, false, false);

    private static ServerPlan want(String name, int id, int port, int weight, ServerState state) {
        return new ServerPlan(name, id, name, "10.0.0.1", port, weight, state, null, NO_CHECK,
                state == ServerState.DRAIN ? Instant.EPOCH : null);
    }

    private static ServerStateRow row(String name, int id, int port, int weight, int adminState) {
        return new ServerStateRow(3, "app", id, name, "10.0.0.1", port, 2, adminState, weight, weight, 0, true, null);
    }

    @Test
    void backendAlreadyInItsDesiredStateNeedsNoCommand() {
        BackendPlan plan = new BackendPlan("app", List.of(want("a", 7, 80, 100, ServerState.READY),
                want("b", 9, 80, 100, ServerState.DRAIN)), null);
        assertThat(Diff.commands(plan, List.of(row("a", 7, 80, 100, 0), row("b", 9, 80, 100, ServerStateRow.FDRAIN)))).isEmpty();
    }

    @Test
    void missingServerIsAddedWithItsIdThenMadeReady() {
        BackendPlan plan = new BackendPlan("app", List.of(want("a", 7, 80, 100, ServerState.READY)), null);
        assertThat(Diff.commands(plan, List.of())).containsExactly(
                "add server app/a 10.0.0.1:80 id 7 weight 100",
                "set server app/a state ready");
    }

    @Test
    void unwantedServerGoesToMaintBeforeItIsDeletedAndBeforeAnyAdd() {
        BackendPlan plan = new BackendPlan("app", List.of(want("a", 7, 80, 100, ServerState.READY)), null);
        assertThat(Diff.commands(plan, List.of(row("x", 5, 80, 1, 0)))).containsExactly(
                "set server app/x state maint",
                "del server app/x",
                "add server app/a 10.0.0.1:80 id 7 weight 100",
                "set server app/a state ready");
    }

    @Test
    void serverWithOurNameButAnotherIdIsReplaced() {
        BackendPlan plan = new BackendPlan("app", List.of(want("a", 7, 80, 100, ServerState.READY)), null);
        assertThat(Diff.commands(plan, List.of(row("a", 8, 80, 100, ServerStateRow.FMAINT)))).containsExactly(
                "del server app/a",
                "add server app/a 10.0.0.1:80 id 7 weight 100",
                "set server app/a state ready");
    }

    @Test
    void changedPortWeightAndStateAreSetInPlace() {
        BackendPlan plan = new BackendPlan("app", List.of(want("a", 7, 81, 50, ServerState.DRAIN)), null);
        assertThat(Diff.commands(plan, List.of(row("a", 7, 80, 100, 0)))).containsExactly(
                "set server app/a addr 10.0.0.1 port 81",
                "set server app/a weight 50",
                "set server app/a state drain");
    }

    @Test
    void leavingServerAlreadyGoneIsNotAddedBackToBeDrained() {
        BackendPlan plan = new BackendPlan("app", List.of(want("b", 9, 80, 100, ServerState.DRAIN)), null);
        assertThat(Diff.commands(plan, List.of())).isEmpty();
    }

    @Test
    void configuredMaintBitAloneDoesNotCountAsMaint() {
        // A server rendered 'disabled' keeps the informative CMAINT bit after 'state ready'.
        BackendPlan plan = new BackendPlan("app", List.of(want("a", 7, 80, 100, ServerState.READY)), null);
        assertThat(Diff.commands(plan, List.of(row("a", 7, 80, 100, ServerStateRow.CMAINT)))).isEmpty();
    }
}
