package dev.hsdo.cli;

import dev.hsdo.testing.ActiveBackupProxies;
import dev.hsdo.testing.Galera;
import dev.hsdo.testing.GaleraHaproxies;
import dev.hsdo.testing.GaleraHaproxies.Seed;

import java.nio.file.Path;

/**
 * The Galera active/backup rules against two HAProxies with the seed's hand-written peers configuration:
 * proves the Galera fixture, the writer harness and the cases themselves. {@link GaleraHsdoActiveBackupIT}
 * runs the same cases with two {@code hsdo run} instances instead. Left out of {@code ./scripts/test} (it tests
 * HAProxy's own config, ~2 min; {@code bench/run galera} compares it with hsdo): run it with
 * {@code ./mvnw verify -Dit.test=GaleraActiveBackupIT}.
 */
class GaleraActiveBackupIT extends GaleraActiveBackupCases {
    @Override
    ActiveBackupProxies startProxies(Galera galera, Path dir) {
        return GaleraHaproxies.start(Seed.PEERS, galera, dir);
    }
}
