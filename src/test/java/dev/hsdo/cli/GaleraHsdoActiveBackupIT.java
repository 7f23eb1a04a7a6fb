package dev.hsdo.cli;

import dev.hsdo.testing.ActiveBackupProxies;
import dev.hsdo.testing.Galera;
import dev.hsdo.testing.GaleraHsdoYaml;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Galera active/backup rules with two {@code hsdo run} instances, each with its own HAProxy, peers from
 * the static list and the backend {@code active-backup: true} with MySQL checks (config:
 * {@link GaleraHsdoYaml}). Same cases as {@link GaleraActiveBackupIT}, plus: restarting hsdo alone keeps the
 * active node.
 */
class GaleraHsdoActiveBackupIT extends GaleraActiveBackupCases {
    @Override
    ActiveBackupProxies startProxies(Galera galera, Path dir) {
        return GaleraHsdoPair.start(galera, dir);
    }

    @Test
    void restartingHsdoAloneKeepsTheActiveNodeAfterAFailover() throws Exception {
        assertThat(Galera.nodeBehind(proxies.frontend(0))).isEqualTo("n1");
        String backup = killN1AndAwaitAMoved();
        bringBackN1();
        String entry = proxies.stuckId(1);

        ((GaleraHsdoPair) proxies).restartHsdoOnly(1);

        assertThat(proxies.stuckId(1)).as("B's entry after its hsdo restarted").isEqualTo(entry);
        for (int k = 0; k < 5; k++) assertThat(Galera.nodeBehind(proxies.frontend(1))).isEqualTo(backup);
    }
}
