package dev.hsdo.agent;

import dev.hsdo.config.SlotsConfig;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SlotDiffTest {
    private static final SlotsConfig SLOTS = new SlotsConfig(3, "srv");

    /** A template slot as HAProxy reports it: ready (admin 0), or maint as declared {@code disabled} (admin 5). */
    private static ServerStateRow row(int slot, String address, int port, int weight, boolean maint) {
        return new ServerStateRow(3, "be", slot, "srv" + slot, address, port, maint ? 0 : 2, maint ? 5 : 0, weight, 1, 6,
                false, null);
    }

    private static ServerPlan server(int slot, String address, int weight, ServerState state) {
        return new ServerPlan("srv" + slot, slot, address + ":80", address, 80, weight, state, null, ServerOptions.defaults(),
                state == ServerState.DRAIN ? Instant.EPOCH : null);
    }

    @Test
    void emptySlotsAreFilledWithAddressWeightAndStateAndUnusedOnesGoToMaint() {
        BackendPlan want = new BackendPlan("be", List.of(server(1, "10.0.0.1", 100, ServerState.READY)), null);
        SlotDiff.Result r = SlotDiff.commands(want, List.of(row(1, "127.0.0.1", 9, 1, true),
                row(2, "127.0.0.1", 9, 1, true), row(3, "10.0.0.9", 80, 100, false)), SLOTS);
        assertThat(r.commands()).containsExactly(
                "set server be/srv1 addr 10.0.0.1 port 80",
                "set server be/srv1 weight 100",
                "set server be/srv1 state ready",
                "set server be/srv3 state maint");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aSlotInItsDesiredStateNeedsNothingAndAServerThatMovesLeavesRotationFirst() {
        BackendPlan want = new BackendPlan("be", List.of(server(1, "10.0.0.1", 100, ServerState.READY),
                server(2, "10.0.0.2", 100, ServerState.DRAIN)), null);
        SlotDiff.Result same = SlotDiff.commands(want, List.of(row(1, "10.0.0.1", 80, 100, false),
                new ServerStateRow(3, "be", 2, "srv2", "10.0.0.2", 80, 2, 8, 100, 1, 6, false, null),
                row(3, "127.0.0.1", 9, 1, true)), SLOTS);
        assertThat(same.commands()).isEmpty();

        SlotDiff.Result moved = SlotDiff.commands(want, List.of(row(1, "10.0.0.7", 80, 100, false),
                new ServerStateRow(3, "be", 2, "srv2", "10.0.0.2", 80, 2, 8, 100, 1, 6, false, null),
                row(3, "127.0.0.1", 9, 1, true)), SLOTS);
        assertThat(moved.commands()).containsExactly("set server be/srv1 state maint",
                "set server be/srv1 addr 10.0.0.1 port 80", "set server be/srv1 state ready");
    }

    @Test
    void aSlotTheConfigDoesNotDeclareIsAProblemNamingTheTemplate() {
        BackendPlan want = new BackendPlan("be", List.of(server(3, "10.0.0.3", 100, ServerState.READY)), null);
        SlotDiff.Result r = SlotDiff.commands(want, List.of(row(1, "127.0.0.1", 9, 1, true)), SLOTS);
        assertThat(r.problems()).containsExactly("backend be has no server srv3 (declare server-template srv 1-3)");
    }
}
