package dev.hsdo.bench.galera;

import dev.hsdo.cli.GaleraHsdoPair;
import dev.hsdo.testing.ActiveBackupProxies;
import dev.hsdo.testing.Galera;
import dev.hsdo.testing.GaleraHaproxies;
import dev.hsdo.testing.GaleraHaproxies.Seed;
import dev.hsdo.testing.GaleraWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Galera active/backup failover, side by side on one real three-node cluster (bench/run galera): the seed's
 * classic config (failback), the seed's hand-written peers config, and hsdo ({@code active-backup: true},
 * skipped while {@code hsdo validate} rejects it). For each: two HAProxies, a writer through each (one INSERT
 * every 5 ms), {@code kill -9} of the active node n1, n1 back and Synced, then 10 s more; reported: how long
 * until the writers' new connections reached a backup and until their writes were acknowledged there, how
 * many times the writers' node changed, failed statements and connects, and acknowledged rows missing from
 * any node afterwards.
 *
 * <p>Runs on the test classpath: it drives the same fixtures as the Galera integration tests
 * ({@link Galera}, {@link GaleraWriter}, {@link GaleraHaproxies}, {@link GaleraHsdoPair}).
 * Arguments: a work directory (hsdo's files; the cluster lives in its own temp directory).
 */
public final class GaleraBench {
    private static final Duration INTERVAL = Duration.ofMillis(5);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration ON_BACKUP = Duration.ofSeconds(5);
    private static final Duration AFTER_RETURN = Duration.ofSeconds(10);
    private static final Duration WRITER_BOUND = Duration.ofMinutes(4);

    private GaleraBench() {}

    /** One variant's outcome; {@code skipped} names why when it did not run. */
    record Row(String variant, String skipped, long routedMs, long writingMs, long longestGapMs, List<Integer> moves,
               int failedStatements, int failedConnects, int lost, int acked) {}

    private interface Starter {
        ActiveBackupProxies start(Galera galera, Path dir);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) throw new IllegalArgumentException("usage: GaleraBench WORK_DIR");
        Path work = Files.createDirectories(Path.of(args[0]));
        long t0 = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        try (Galera galera = Galera.start()) {
            System.out.printf("cluster formed in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            rows.add(run(1, "seed, failback (on-marked-up shutdown-backup-sessions)", galera, work.resolve("failback"),
                    (g, d) -> GaleraHaproxies.start(Seed.FAILBACK, g, d), false));
            rows.add(run(2, "seed, peers written by hand", galera, work.resolve("peers"),
                    (g, d) -> GaleraHaproxies.start(Seed.PEERS, g, d), true));
            rows.add(run(3, "hsdo (active-backup: true, 2 x hsdo run)", galera, work.resolve("hsdo"), GaleraHsdoPair::start, true));
        }
        print(rows);
    }

    /** Variant number {@code n} (1..9) writes as {@code vN-a} and {@code vN-b} with ids of their own: the table is shared. */
    private static Row run(int n, String variant, Galera galera, Path dir, Starter starter, boolean peers) throws Exception {
        System.out.println("-- " + variant);
        galera.ensureAllSynced();
        Files.createDirectories(dir);
        ActiveBackupProxies proxies;
        try {
            proxies = starter.start(galera, dir);
        } catch (GaleraHsdoPair.Unsupported e) {
            String why = e.getMessage().lines().findFirst().orElse("");
            // The table cell keeps hsdo's reason, not the temp path of the config it names.
            why = why.contains(".yaml: ") ? "hsdo validate: " + why.substring(why.lastIndexOf(".yaml: ") + 7) : why;
            System.out.println("   SKIPPED: " + why);
            return new Row(variant, why, 0, 0, 0, List.of(), 0, 0, 0, 0);
        }
        try (proxies) {
            if (peers) proxies.awaitPeersConnected();
            GaleraWriter a = GaleraWriter.start("v" + n + "-a", proxies.frontend(0), n * 10_000_000_000L, INTERVAL, WRITER_BOUND);
            GaleraWriter b = GaleraWriter.start("v" + n + "-b", proxies.frontend(1), n * 10_000_000_000L + 1_000_000_000L, INTERVAL, WRITER_BOUND);
            try (a; b) {
                await("both writers on n1").atMost(Duration.ofSeconds(60))
                        .until(() -> "n1".equals(a.lastNode()) && "n1".equals(b.lastNode()));
                dwell(WARM_UP);
                long killed = System.nanoTime();
                galera.node("n1").kill9();
                await("both writers on a backup").atMost(Duration.ofSeconds(120))
                        .until(() -> a.lastNode() != null && !"n1".equals(a.lastNode()) && b.lastNode() != null && !"n1".equals(b.lastNode()));
                dwell(ON_BACKUP);
                galera.node("n1").start();
                galera.node("n1").awaitSynced();
                proxies.awaitUpOnBoth("n1");
                dwell(AFTER_RETURN);
                GaleraWriter.Result ra = a.stop();
                GaleraWriter.Result rb = b.stop();
                return row(variant, galera, killed, ra, rb);
            }
        }
    }

    private static Row row(String variant, Galera galera, long killed, GaleraWriter.Result... results) throws Exception {
        long routed = 0;
        long writing = 0;
        long gap = 0;
        List<Integer> moves = new ArrayList<>();
        int failedStatements = 0;
        int failedConnects = 0;
        int acked = 0;
        Set<Long> lost = new HashSet<>();
        for (GaleraWriter.Result r : results) {
            GaleraWriter.Connect connected = r.firstConnectElsewhereAfter(killed, "n1");
            GaleraWriter.Ack written = r.firstAckElsewhereAfter(killed, "n1");
            routed = Math.max(routed, connected == null ? -1 : ms(connected.atNanos() - killed));
            writing = Math.max(writing, written == null ? -1 : ms(written.atNanos() - killed));
            gap = Math.max(gap, r.longestGap().toMillis());
            moves.add(r.moves());
            failedStatements += r.failedStatements();
            failedConnects += r.failedConnects();
            acked += r.acks().size();
            for (Galera.Node n : galera.nodes()) lost.addAll(r.missingFrom(GaleraWriter.idsOnNode(n.port(), r.writer())));
            System.out.printf("   %s: %d acknowledged, nodes %s, %d failed statements, %d failed connects%n",
                    r.writer(), r.acks().size(), r.nodeSequence(), r.failedStatements(), r.failedConnects());
            r.errors().forEach((m, count) -> System.out.printf("      %5d x %s%n", count, m));
        }
        return new Row(variant, null, routed, writing, gap, moves, failedStatements, failedConnects, lost.size(), acked);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void dwell(Duration d) throws InterruptedException {
        // Not synchronisation: the scenario's own pacing (traffic keeps flowing while it waits).
        Thread.sleep(d);
    }

    private static void print(List<Row> rows) {
        System.out.println();
        System.out.println("| config | new connections on a backup after | writes acknowledged again after | longest write gap"
                + " | node changes per writer | failed statements | failed connects | lost acknowledged rows | acknowledged rows |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Row r : rows) {
            if (r.skipped() != null) {
                System.out.printf("| %s | skipped: %s | | | | | | | |%n", r.variant(), r.skipped().replace("|", "/"));
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s | %s | %d | %d | %d | %d |%n", r.variant(),
                    r.routedMs() / 1000.0, r.writingMs() / 1000.0, r.longestGapMs() / 1000.0,
                    r.moves().stream().map(String::valueOf).reduce((x, y) -> x + " + " + y).orElse(""),
                    r.failedStatements(), r.failedConnects(), r.lost(), r.acked());
        }
        Row base = rows.getFirst();
        for (Row r : rows.subList(1, rows.size())) {
            if (r.skipped() != null || base.skipped() != null) continue;
            System.out.printf(Locale.ROOT, "%s vs the seed's failback config: node changes %d/%d, failed statements %s, failed connects %s%n",
                    r.variant(), sum(r.moves()), sum(base.moves()), ratio(r.failedStatements(), base.failedStatements()),
                    ratio(r.failedConnects(), base.failedConnects()));
        }
    }

    private static int sum(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sum();
    }

    private static String ratio(int x, int base) {
        return base == 0 ? x + "/0" : String.format(Locale.ROOT, "x%.2f (%d/%d)", (double) x / base, x, base);
    }
}
