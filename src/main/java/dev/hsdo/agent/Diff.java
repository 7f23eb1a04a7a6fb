package dev.hsdo.agent;

import dev.hsdo.haproxy.ServerLine;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Runtime API commands that take one backend from what HAProxy reports to what the plan wants. Pure:
 * the same desired and observed state give the same commands, and a backend already in its desired
 * state gives none, which is what makes reconciling idempotent.
 */
public final class Diff {
    private Diff() {}

    /**
     * Commands for backend {@code desired}, given the rows HAProxy reported for that backend. Servers to
     * remove come first (maint, then delete) so that their names and ids are free for the servers to add.
     */
    public static List<String> commands(BackendPlan desired, List<ServerStateRow> observed) {
        return commands(desired, observed, null);
    }

    /**
     * Like {@link #commands(BackendPlan, List)}, also replacing a server whose backup flag differs from the
     * plan's: the Runtime API cannot change that flag, so the server is deleted and added again (same id).
     *
     * @param backups the names of this backend's servers that HAProxy reports as backup ({@code show stat},
     *                column {@code bck}), or null when unknown (then the flag is not compared)
     */
    public static List<String> commands(BackendPlan desired, List<ServerStateRow> observed, Set<String> backups) {
        String be = desired.name();
        Map<String, ServerStateRow> byName = new HashMap<>();
        for (ServerStateRow row : observed) byName.put(row.serverName(), row);
        List<String> removals = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (ServerStateRow row : observed) {
            ServerPlan want = desired.server(row.serverName());
            // A server we do not want, or one that has our name but not our id (re-added by hand), goes.
            if (want == null || !matches(want, row, backups)) {
                if (!row.isMaint()) removals.add("set server " + be + "/" + row.serverName() + " state maint");
                removals.add("del server " + be + "/" + row.serverName());
            }
        }
        for (ServerPlan s : desired.servers()) {
            ServerStateRow row = byName.get(s.name());
            String target = be + "/" + s.name();
            if (row == null || !matches(s, row, backups)) {
                // A leaving server that is already gone needs nothing; adding it back only to drain it would not.
                if (s.state() == ServerState.DRAIN) continue;
                changes.add("add server " + target + " " + ServerLine.args(s));
                if (s.options().check()) changes.add("enable health " + target);
                if (s.state() != ServerState.MAINT) changes.add("set server " + target + " state " + s.state().word());
                continue;
            }
            if (!row.address().equals(s.address()) || row.port() != s.port())
                changes.add("set server " + target + " addr " + s.address() + " port " + s.port());
            if (row.userWeight() != s.weight()) changes.add("set server " + target + " weight " + s.weight());
            if (!inState(row, s.state())) changes.add("set server " + target + " state " + s.state().word());
        }
        removals.addAll(changes);
        return removals;
    }

    /** Whether the server HAProxy has under this name is the planned one: same id, same backup flag if known. */
    private static boolean matches(ServerPlan want, ServerStateRow row, Set<String> backups) {
        return want.id() == row.serverId() && (backups == null || want.options().backup() == backups.contains(row.serverName()));
    }

    /** Whether HAProxy reports the server in the wanted administrative state. */
    static boolean inState(ServerStateRow row, ServerState want) {
        return switch (want) {
            case READY -> !row.isMaint() && !row.isDrain();
            case DRAIN -> !row.isMaint() && row.isDrain();
            case MAINT -> row.isMaint();
        };
    }
}
