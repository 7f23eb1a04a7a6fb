package dev.hsdo.haproxy;

import dev.hsdo.model.Tokens;

/**
 * One peers section as {@code show peers} describes it: its name and the sync flags of this worker.
 *
 * @param name  the section's name ({@code id=})
 * @param flags the section's {@code flags=} value
 */
public record PeersSection(String name, long flags) {
    // PEERS_F_RESYNC_LOCAL and PEERS_F_RESYNC_REMOTE of HAProxy 2.6 to 3.0 (include/haproxy/peers-t.h): the
    // worker has learned the tables from the old worker of a reload (or has none to learn from), and from a remote
    // peer (or gave up waiting for one). Only a worker with both teaches its successor at the next reload.
    private static final long RESYNC_LOCAL = 0x1;
    private static final long RESYNC_REMOTE = 0x2;

    public PeersSection {
        Tokens.require(name != null && !name.isEmpty(), "peers section name", name, "a name");
    }

    /**
     * Whether this worker has finished learning its stick tables. HAProxy hands the tables to the new worker of
     * a reload only from an old worker that has: reloading a worker that is still learning (the first ~5 s after
     * a start, while it waits for a peer that will never teach) starts the new worker with empty tables.
     */
    public boolean resynced() {
        return (flags & (RESYNC_LOCAL | RESYNC_REMOTE)) == (RESYNC_LOCAL | RESYNC_REMOTE);
    }
}
