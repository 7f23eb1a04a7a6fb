package dev.hsdo.store;

import java.util.List;

/**
 * What one agent's HAProxy reports for the servers of one backend, as counts, for the fleet view: how many are up,
 * down (health checks fail) or in maintenance, its current sessions, and the names of the first servers down.
 *
 * @param sessions    current sessions over the backend's servers, as of the agent's last full read of
 *                    {@code show stat} (at most a few reconcile intervals old)
 * @param downServers the first {@value #MAX_NAMED} servers that are down, by name
 */
public record HaproxyServers(int up, int down, int maint, long sessions, List<String> downServers) {
    /** How many down servers a report names; the count says how many there are. */
    public static final int MAX_NAMED = 20;

    public HaproxyServers {
        if (up < 0 || down < 0 || maint < 0 || sessions < 0)
            throw new IllegalArgumentException("negative server counts: " + up + "/" + down + "/" + maint + "/" + sessions);
        downServers = downServers == null ? List.of() : List.copyOf(downServers.subList(0, Math.min(MAX_NAMED, downServers.size())));
    }
}
