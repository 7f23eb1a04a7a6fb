package dev.hsdo.cli;

import dev.hsdo.testing.Galera;
import dev.hsdo.testing.GaleraHaproxies;
import dev.hsdo.testing.GaleraHaproxies.Seed;

import java.nio.file.Path;

/**
 * The Galera active/backup rules against two HAProxies with the seed's hand-written peers configuration:
 * proves the Galera fixture, the writer harness and the cases themselves. {@link GaleraHsdoActiveBackupIT}
 * runs the same cases with two {@code hsdo run} instances instead.
 */
class GaleraActiveBackupIT extends GaleraActiveBackupCases {
    @Override
    ActiveBackupProxies startProxies(Galera galera, Path dir) {
        GaleraHaproxies hand = GaleraHaproxies.start(Seed.PEERS, galera, dir);
        return new ActiveBackupProxies() {
            @Override
            public int frontend(int i) {
                return hand.get(i).port("fe");
            }

            @Override
            public String cli(int i, String command) {
                return hand.get(i).cli(command);
            }

            @Override
            public void restartHaproxy(int i) {
                // Same config and -L name: the new process has an empty table until its peer sends the entry.
                hand.get(i).restart();
            }

            @Override
            public void close() {
                hand.close();
            }
        };
    }
}
