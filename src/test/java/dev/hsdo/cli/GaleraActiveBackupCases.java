package dev.hsdo.cli;

import dev.hsdo.testing.ActiveBackupProxies;
import dev.hsdo.testing.Galera;
import dev.hsdo.testing.GaleraWriter;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Galera active/backup rules (issue 9) on a real three-node MariaDB Galera cluster, started once per
 * class, behind two HAProxies that share one active server: every HAProxy sends new connections to the same
 * node; when that node dies all move to the same backup within about two seconds; when it returns nothing
 * fails back; writers through both HAProxies lose nothing acknowledged; a restarted HAProxy adopts the
 * fleet's active node. A subclass says how the two HAProxies are configured ({@link #startProxies}).
 */
abstract class GaleraActiveBackupCases {
    /**
     * "Within ~2 s": two failed checks a second apart; measured 1.1-1.7 s with a load average of 16 on two
     * cores. The bound leaves room for that load, not for a third check.
     */
    static final Duration MOVE_BOUND = Duration.ofSeconds(5);
    /** A write on the backup waits until Galera evicts the dead node (evs.suspect_timeout 5 s) and more under load. */
    private static final Duration WRITE_RESUME_BOUND = Duration.ofSeconds(60);
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(5);

    static Galera galera;

    @TempDir
    Path dir;
    ActiveBackupProxies proxies;
    private final List<GaleraWriter> writers = new ArrayList<>();

    @BeforeAll
    static void startGalera() {
        galera = Galera.start();
    }

    @AfterAll
    static void stopGalera() {
        if (galera != null) galera.close();
        galera = null;
    }

    /** Two HAProxies in front of {@code galera}, backend {@link ActiveBackupProxies#BACKEND}, files under {@code dir}. */
    abstract ActiveBackupProxies startProxies(Galera galera, Path dir) throws Exception;

    @BeforeEach
    void everyNodeSyncedAndFreshProxies() throws Exception {
        // Each case starts from the same state: the whole cluster Synced, HAProxies with an empty table.
        galera.ensureAllSynced();
        proxies = startProxies(galera, dir);
        proxies.awaitPeersConnected();
    }

    @AfterEach
    void stopProxies() {
        writers.forEach(GaleraWriter::close);
        if (proxies != null) proxies.close();
    }

    @Test
    void everyHaproxySendsNewConnectionsToTheSameNode() throws Exception {
        Set<String> reached = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 2; i++) reached.add(Galera.nodeBehind(proxies.frontend(i)));
        }

        assertThat(reached).as("nodes reached by 10 new connections through both HAProxies").containsExactly("n1");
        assertThat(proxies.stuckId(1)).as("the entry HAProxy B holds").isEqualTo(proxies.stuckId(0)).isNotNull();
    }

    @Test
    void killingTheActiveNodeMovesEveryHaproxyToTheSameBackupWithinAboutTwoSecondsAndItNeverFailsBack() throws Exception {
        assertThat(Galera.nodeBehind(proxies.frontend(0))).isEqualTo("n1");
        assertThat(Galera.nodeBehind(proxies.frontend(1))).isEqualTo("n1");

        long killed = System.nanoTime();
        // New connections through A only: A picks a backup, B must learn it through the peers.
        String backup = killN1AndAwaitAMoved();
        Duration moved = Duration.ofNanos(System.nanoTime() - killed);
        String entry = proxies.stuckId(0);
        awaitEntryOnB(entry, Duration.ofSeconds(2));
        System.out.printf("kill -9 n1 -> new connections on %s after %d ms%n", backup, moved.toMillis());

        assertThat(Galera.nodeBehind(proxies.frontend(1))).as("B, after the failover").isEqualTo(backup);

        bringBackN1();
        // n1 is up and first in line on both HAProxies: for a few seconds, nothing goes back to it.
        await("no failback to n1").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Galera.nodeBehind(proxies.frontend(0)).equals(backup)
                        && Galera.nodeBehind(proxies.frontend(1)).equals(backup));
        assertThat(proxies.stuckId(0)).isEqualTo(entry);
        assertThat(proxies.stuckId(1)).isEqualTo(entry);
    }

    @Test
    void twoWritersOneThroughEachHaproxyLoseNothingAcknowledgedAcrossAFailoverAndTheNodesReturn() throws Exception {
        GaleraWriter a = writer("writer-a", 0, 1_000_000_000L);
        GaleraWriter b = writer("writer-b", 1, 2_000_000_000L);
        await("both writers acknowledged on n1").atMost(Duration.ofSeconds(20))
                .until(() -> a.acknowledged() >= 20 && b.acknowledged() >= 20);

        galera.node("n1").kill9();
        await("both writers write on a backup").atMost(WRITE_RESUME_BOUND)
                .until(() -> !"n1".equals(a.lastNode()) && !"n1".equals(b.lastNode()));
        bringBackN1();
        int ackedBefore = a.acknowledged() + b.acknowledged();
        await("writes go on after n1 returned").atMost(Duration.ofSeconds(30))
                .until(() -> a.acknowledged() + b.acknowledged() >= ackedBefore + 100);
        GaleraWriter.Result ra = a.stop();
        GaleraWriter.Result rb = b.stop();
        System.out.printf("writer-a: %d acknowledged, %d failed statements, %d failed connects, nodes %s%n",
                ra.acks().size(), ra.failedStatements(), ra.failedConnects(), ra.nodeSequence());
        System.out.printf("writer-b: %d acknowledged, %d failed statements, %d failed connects, nodes %s%n",
                rb.acks().size(), rb.failedStatements(), rb.failedConnects(), rb.nodeSequence());

        for (Galera.Node n : galera.nodes()) {
            assertThat(ra.missingFrom(GaleraWriter.idsOnNode(n.port(), "writer-a"))).as("writer-a's acknowledged ids missing on %s", n).isEmpty();
            assertThat(rb.missingFrom(GaleraWriter.idsOnNode(n.port(), "writer-b"))).as("writer-b's acknowledged ids missing on %s", n).isEmpty();
        }
        assertThat(ra.nodeSequence()).as("writer-a moved once, no failback").hasSize(2).startsWith("n1");
        assertThat(rb.nodeSequence()).as("both writers on the same backup").isEqualTo(ra.nodeSequence());
    }

    @Test
    void aRestartedHaproxyAdoptsTheFleetsActiveNodeNotTheFirstListed() throws Exception {
        assertThat(Galera.nodeBehind(proxies.frontend(0))).isEqualTo("n1");
        String backup = killN1AndAwaitAMoved();
        String entry = proxies.stuckId(0);
        bringBackN1();

        proxies.restartHaproxy(1);
        // The restarted HAProxy learns the entry from its peer; until then it has none of its own.
        awaitEntryOnB(entry, Duration.ofSeconds(10));
        proxies.awaitUpOnBoth("n1");

        Set<String> reached = new HashSet<>();
        for (int k = 0; k < 5; k++) reached.add(Galera.nodeBehind(proxies.frontend(1)));
        assertThat(reached).as("nodes the restarted HAProxy sends new connections to (n1 is up and listed first)")
                .containsExactly(backup);
    }

    /**
     * Kills n1 (the active node) with SIGKILL and returns the node that new connections through HAProxy A
     * reach once A has moved off n1 (at most {@link #MOVE_BOUND}).
     */
    String killN1AndAwaitAMoved() {
        galera.node("n1").kill9();
        return await("A moves off n1").atMost(MOVE_BOUND).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> Galera.nodeBehind(proxies.frontend(0)), n -> !n.equals("n1"));
    }

    /** Starts n1 again and waits until it is Synced and both HAProxies' checks see it up: it could take traffic. */
    void bringBackN1() {
        galera.node("n1").start();
        galera.node("n1").awaitSynced();
        proxies.awaitUpOnBoth("n1");
    }

    /** Waits until HAProxy B's table holds {@code entry}; fails with both tables and B's peer state otherwise. */
    void awaitEntryOnB(String entry, Duration bound) {
        try {
            await("B holds the entry " + entry + " (received from A)").atMost(bound).pollInterval(Duration.ofMillis(50))
                    .until(() -> entry.equals(proxies.stuckId(1)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nA: " + proxies.cli(0, "show table " + ActiveBackupProxies.BACKEND)
                    + "\nB: " + proxies.cli(1, "show table " + ActiveBackupProxies.BACKEND) + "\nB's peers:\n" + proxies.cli(1, "show peers"), e);
        }
    }

    /** Starts a writer through HAProxy {@code i}, stopped after the test at the latest. */
    GaleraWriter writer(String name, int i, long idBase) {
        GaleraWriter w = GaleraWriter.start(name, proxies.frontend(i), idBase, WRITE_INTERVAL, Duration.ofSeconds(150));
        writers.add(w);
        return w;
    }
}
