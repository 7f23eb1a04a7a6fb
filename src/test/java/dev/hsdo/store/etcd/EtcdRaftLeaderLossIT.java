package dev.hsdo.store.etcd;

import dev.hsdo.model.Plan;
import dev.hsdo.store.StoreException;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.Plans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The etcd store on a three-member cluster whose raft leader dies: requests move on within a bound, not a timeout. */
class EtcdRaftLeaderLossIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static EtcdCluster etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(dir, 3);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void aPublishAndAWatcherGetPastTheDeathOfTheRaftLeaderWellWithinTheStoreTimeout() throws Exception {
        try (EtcdFleetStore writer = new EtcdFleetStore(etcd.endpoints(), "/raft-it", TIMEOUT, Duration.ofSeconds(1));
             EtcdFleetStore reader = new EtcdFleetStore(etcd.endpoints(), "/raft-it", TIMEOUT, Duration.ofSeconds(1))) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            reader.plans().watch(p -> seen.add(p.generation()));
            Plan p1 = writer.plans().publish(Plans.of(1, 3), 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(1L));
            await().atMost(Duration.ofSeconds(5)).until(() -> etcd.raftLeader() >= 0);
            int leader = etcd.raftLeader();

            etcd.kill(leader);
            long killed = System.nanoTime();
            Plan p2 = null;
            StoreException last = null;
            for (int attempt = 0; attempt < 20 && p2 == null; attempt++) {
                try {
                    p2 = writer.plans().publish(Plans.of(2, 4).withEpoch(p1.epoch()), 1);
                } catch (StoreException e) {
                    last = e;
                }
            }
            Duration published = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(p2).as("published after the raft leader died (last error: %s)", last).isNotNull();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> seen.contains(2L));
            Duration converged = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("raft leader (member %d) killed: published after %d ms, seen by the watcher after %d ms%n",
                    leader, published.toMillis(), converged.toMillis());
            // Measured 0.65-1.25 s here (target 1.5 s); the bound leaves room for a loaded machine and still fails
            // when the request waits out the 5 s store timeout, as it did.
            assertThat(converged).as("kill to a watcher seeing the next plan").isLessThan(Duration.ofMillis(3000));
            etcd.restart(leader);
        }
    }
}
