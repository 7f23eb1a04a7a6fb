package dev.hsdo.agent;

import dev.hsdo.config.SlotsConfig;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Runtime API commands that take a template-slot backend to its plan: each slot's address, port,
 * weight and state are set; an empty slot goes to maintenance. Nothing is ever added or deleted, and
 * servers beyond the managed slots are left alone. Pure, like {@link Diff}.
 */
public final class SlotDiff {
    private SlotDiff() {}

    /** The commands and the problems (a slot HAProxy does not have) for backend {@code desired}. */
    public record Result(List<String> commands, List<String> problems) {
        public Result {
            commands = List.copyOf(commands);
            problems = List.copyOf(problems);
        }
    }

    /** Commands for {@code desired}, given the rows HAProxy reported for that backend. */
    public static Result commands(BackendPlan desired, List<ServerStateRow> observed, SlotsConfig slots) {
        String be = desired.name();
        Map<String, ServerStateRow> byName = new HashMap<>();
        for (ServerStateRow row : observed) byName.put(row.serverName(), row);
        Map<String, ServerPlan> wanted = new HashMap<>();
        for (ServerPlan s : desired.servers()) wanted.put(s.name(), s);
        List<String> commands = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int slot = 1; slot <= slots.count(); slot++) {
            String name = slots.name(slot);
            ServerStateRow row = byName.get(name);
            ServerPlan s = wanted.get(name);
            if (row == null) {
                if (s != null) problems.add("backend " + be + " has no server " + name + " (declare server-template "
                        + slots.prefix() + " 1-" + slots.count() + ")");
                continue;
            }
            String target = be + "/" + name;
            if (s == null) {
                if (!row.isMaint()) commands.add("set server " + target + " state maint");
                continue;
            }
            // Out of rotation before it moves, so no request reaches the new address under the old settings.
            boolean moves = !row.address().equals(s.address()) || row.port() != s.port();
            if (moves && !row.isMaint()) commands.add("set server " + target + " state maint");
            if (moves) commands.add("set server " + target + " addr " + s.address() + " port " + s.port());
            if (row.userWeight() != s.weight()) commands.add("set server " + target + " weight " + s.weight());
            if (s.state() == ServerState.MAINT) {
                if (!moves && !row.isMaint()) commands.add("set server " + target + " state maint");
            } else if (moves || !Diff.inState(row, s.state())) {
                commands.add("set server " + target + " state " + s.state().word());
            }
        }
        return new Result(commands, problems);
    }
}
