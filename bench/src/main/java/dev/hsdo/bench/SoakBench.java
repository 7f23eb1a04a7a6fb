package dev.hsdo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak run: two controllers and three agents (separate processes from the built jar) on a three-member
 * etcd, a file source and a DNS SRV source, traffic through the three frontends throughout, and one fault per
 * slot on a schedule (see {@link SoakFaults}). Prints one line per fault as it happens and, at the end, a
 * markdown block: failed requests per fault, agreement of the three HAProxies on 1000 URIs after each fault,
 * convergence time of servers-file changes, and RSS/CPU of the hsdo processes.
 *
 * <p>Usage: {@code SoakBench <work dir> <hsdo.jar> <machine header file> [minutes]}.
 */
public final class SoakBench {
    private static final int URIS = 1000;
    private static final int RATE = 20;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** One slot's results. */
    private record Row(int slot, String fault, String note, Traffic.Tally traffic, double settled, Agreement.Result agreement,
                       String masters) {}

    private SoakBench() {}

    @SuppressWarnings("try") // the watchdog is only armed and disarmed
    public static void main(String[] args) throws Exception {
        String usage = "SoakBench <work dir> <hsdo.jar> <machine header file> [minutes]";
        Path dir = Args.workDir(args, usage).toAbsolutePath();
        if (args.length < 3) throw new IllegalArgumentException("usage: " + usage);
        Path jar = Path.of(args[1]).toAbsolutePath();
        String machine = Files.readString(Path.of(args[2])).strip();
        int minutes = Args.positive(args, 3, "minutes", 20);
        int slots = Math.max(SoakFaults.ALL.size(), minutes / 2);
        Duration slotLength = Duration.ofMinutes(minutes).dividedBy(slots);
        // As a user runs hsdo: through the ./hsdo launcher beside target/, with its JVM options (HSDO_JAVA_OPTS
        // adds to them); SOAK_JAVA_JAR=1 runs plain java -jar instead.
        Path launcher = jar.getParent().getParent().resolve("hsdo");
        List<String> java = new ArrayList<>();
        if (Files.isExecutable(launcher) && System.getenv("SOAK_JAVA_JAR") == null) {
            java.add(launcher.toString());
        } else {
            java.add(ProcessHandle.current().info().command().orElse("java"));
            String opts = System.getenv().getOrDefault("HSDO_JAVA_OPTS", "").strip();
            if (!opts.isEmpty()) java.addAll(Arrays.asList(opts.split("\\s+")));
        }

        // Whatever happens (failure, Ctrl-C, the watchdog), nothing started under dir outlives the run.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Procs.sweep(dir)));
        Duration limit = Duration.ofMinutes(minutes + 15);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(limit.plusMinutes(2));
                System.err.println("soak: still running 2 min after the watchdog fired; exiting");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // not reached: a daemon thread dies with the JVM
            }
        });

        AtomicInteger slot = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        System.out.printf("soak: %d min, %d slots of %d s, faults in this order: %s%n", minutes, slots, slotLength.toSeconds(),
                String.join("; ", SoakFaults.ALL.stream().map(SoakFaults.Fault::name).toList()));
        try (Watchdog ignored = Watchdog.arm(limit); SoakFleet fleet = SoakFleet.start(dir, jar, java, slot::get)) {
            System.out.printf("set-up: origins, bind9 on :%d, etcd %s, controllers c0 c1, agents a0 a1 a2 on frontends %s; every"
                    + " agent serves both backends (%.0f s)%n", fleet.named.port(), fleet.etcd.endpoints(), fleet.frontends(),
                    (System.nanoTime() - t0) / 1e9);
            Traffic traffic = new Traffic(fleet.frontends(), fleet.names("f"), fleet.names("d"), RATE, URIS / 2);
            Usage use = new Usage(fleet.all(), slot::get, 5000, ticksPerSecond());
            fleet.churn.start();
            long runStart = System.nanoTime();
            boolean aborted = false;
            try {
                for (int s = 0; s <= slots; s++) {
                    slot.set(s);
                    traffic.slot(s);
                    rows.add(runSlot(fleet, s, s == 0 ? slotLength.dividedBy(2) : slotLength, runStart, traffic, use));
                }
            } catch (InterruptedException e) {
                aborted = true;
                Thread.interrupted();
                System.out.println("soak: interrupted (time limit " + limit + " or Ctrl-C); reporting what ran");
            }
            fleet.churn.close();
            traffic.close();
            use.close();
            double minutesRun = (System.nanoTime() - runStart) / 60e9;
            String leftBehind = stopHsdo(fleet);
            System.out.println();
            System.out.println(report(machine, minutes, minutesRun, aborted, fleet.setupNotes, rows, fleet.churn.samples(), use, slots,
                    leftBehind));
        }
        int swept = Procs.sweep(dir);
        if (swept > 0) System.out.println("soak: killed " + swept + " processes left running under " + dir);
    }

    private static Row runSlot(SoakFleet fleet, int s, Duration length, long runStart, Traffic traffic, Usage use) throws Exception {
        long start = System.nanoTime();
        String name = "none (baseline)", note = "";
        if (s > 0) {
            SoakFaults.Fault fault = SoakFaults.ALL.get((s - 1) % SoakFaults.ALL.size());
            HsdoProc agent = fleet.agents.get((s - 1) % fleet.agents.size());
            name = fault.name();
            String healed = fleet.heal();
            if (!healed.isEmpty()) System.out.println("        before the fault: " + healed);
            fleet.churn.duringFault(true);
            try {
                note = fault.injector().inject(fleet, agent, length);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                note = "INJECTION FAILED: " + SoakFleet.firstLine(e);
            } finally {
                fleet.churn.duringFault(false);
            }
            System.out.printf(Locale.ROOT, "[%s] #%d %s: %s%n", clock(start - runStart), s, name, note);
        }
        sleepUntil(Math.max(start + (long) (length.toNanos() * 0.7), System.nanoTime() + 5_000_000_000L));
        fleet.churn.pause();
        double settled;
        Agreement.Result agreement;
        String summary;
        try {
            settled = fleet.awaitSettled(fleet.agents, SETTLE);
            summary = settled < 0 ? fleet.servingSummary() : "";
            agreement = Agreement.probe(fleet.frontends(), URIS);
        } finally {
            fleet.churn.resume();
        }
        String masters = fleet.masters();
        sleepUntil(start + length.toNanos());
        Traffic.Tally t = traffic.tally(s);
        String convergence = convergence(fleet.churn.samples().stream().filter(x -> x.slot() == s).toList());
        System.out.printf(Locale.ROOT, "        traffic %s | changes: %s | checkpoint: %s, %s | HAProxy masters %s | %s%n",
                t.describe(fleet.agents.stream().map(a -> a.name).toList()), convergence,
                settled < 0 ? "NOT settled in " + SETTLE.toSeconds() + " s (" + summary + ")" : "settled in " + SoakFleet.secs(settled),
                agreement, masters, use.slotLine(s));
        return new Row(s, name, note, t, settled, agreement, masters);
    }

    // E.g. "12, slowest 230 ms" or "3, 1 not converged".
    private static String convergence(List<Churn.Sample> list) {
        long late = list.stream().filter(x -> x.ms() < 0).count();
        double max = list.stream().mapToDouble(Churn.Sample::ms).max().orElse(0);
        return list.size() + (list.isEmpty() ? "" : String.format(Locale.ROOT, ", slowest %.0f ms", max))
                + (late > 0 ? ", " + late + " not converged in 60 s" : "");
    }

    // Stops the hsdo processes as a user would (SIGTERM) and says which HAProxy processes they left running.
    private static String stopHsdo(SoakFleet fleet) {
        List<String> left = new ArrayList<>();
        for (HsdoProc n : fleet.all()) {
            double s = n.stop(Duration.ofSeconds(20));
            if (s < 0) left.add(n.name + " did not exit within 20 s of SIGTERM");
        }
        for (HsdoProc a : fleet.agents) {
            int n = Procs.haproxies(a.haproxyConfig()).size();
            if (n > 0) left.add(a.name + ": " + n + " HAProxy processes");
        }
        return left.isEmpty() ? "none" : String.join(", ", left);
    }

    private static String report(String machine, int minutes, double minutesRun, boolean aborted, List<String> setup, List<Row> rows,
                                 List<Churn.Sample> samples, Usage use, int slots, String leftBehind) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "### Soak run (`bench/run soak %d`): %.1f min of faults%s%n%n", minutes, minutesRun,
                aborted ? ", INTERRUPTED before the end" : ""));
        b.append("```\n").append(machine).append("\n```\n\n");
        b.append(String.format(Locale.ROOT, "Traffic: %d requests/s through each of the 3 frontends, one TCP connection per request"
                + " (keep-alive off, no retries), paths `/f/<k>` (backend `files`) and `/d/<k>` (backend `dns`) in turn.%n"
                + "Checkpoint after each fault: wait until every agent serves what the servers file and the SRV record say"
                + " (up to %d s), then send %d URIs through each frontend and count those answered by the same origin on all three.%n%n",
                RATE, SETTLE.toSeconds(), URIS));
        if (!setup.isEmpty()) b.append("At set-up: ").append(String.join("; ", setup)).append(".\n\n");
        b.append("| # | fault | what happened | failed requests | servers-file changes made in the slot | settled | agreement | HAProxy masters |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        long failed = 0, sent = 0;
        for (Row r : rows) {
            failed += r.traffic().failed();
            sent += r.traffic().sent();
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %.1f %%%s | %s |%n", r.slot(), r.fault(),
                    r.note().isEmpty() ? "—" : r.note().replace("|", "/"), failedCell(r.traffic()),
                    convergence(samples.stream().filter(x -> x.slot() == r.slot()).toList()),
                    r.settled() < 0 ? "**no**" : SoakFleet.secs(r.settled()), r.agreement().percent(),
                    r.agreement().failed() > 0 ? " (" + r.agreement().failed() + " non-200)" : "", r.masters()));
        }
        b.append(String.format(Locale.ROOT, "%nFailed requests in all: **%d of %d** (%.3f %%).%n%n", failed, sent,
                sent == 0 ? 0 : 100.0 * failed / sent));
        b.append("Convergence: a change of the servers file (one server added or removed, a random 1–3 s apart) until the"
                + " last agent's HAProxy serves the new set (`show servers state`, polled every " + Churn.POLL_MS + " ms):\n\n");
        b.append("| changes | count | p50 | p99 | max | not converged within 60 s |\n| --- | --- | --- | --- | --- | --- |\n");
        b.append(convergenceRow("no fault injected while measured", samples.stream().filter(x -> !x.duringFault()).toList()));
        b.append(convergenceRow("a fault injected while measured", samples.stream().filter(Churn.Sample::duringFault).toList()));
        b.append(convergenceRow("all", samples));
        b.append("\nResources of the hsdo processes (`/proc`, sampled every 5 s; CPU in % of one core; a restarted process"
                + " starts a new series):\n\n");
        b.append(use.table(slots));
        b.append("\nLeft running after the hsdo processes were stopped with SIGTERM at the end: ").append(leftBehind).append(".\n");
        return b.toString();
    }

    private static String failedCell(Traffic.Tally t) {
        String kinds = t.kinds();
        return t.failed() + " of " + t.sent() + (kinds.isEmpty() ? "" : " (" + kinds + ")")
                + (t.misrouted() > 0 ? ", " + t.misrouted() + " misrouted" : "");
    }

    private static String convergenceRow(String label, List<Churn.Sample> list) {
        Samples s = new Samples();
        long timedOut = 0;
        for (Churn.Sample x : list) {
            if (x.ms() < 0) timedOut++;
            else s.add((long) (x.ms() * 1e6));
        }
        if (s.size() == 0) return "| " + label + " | " + list.size() + " | – | – | – | " + timedOut + " |\n";
        return String.format(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms | %.0f ms | %d |%n", label, list.size(),
                s.percentileMs(0.5), s.percentileMs(0.99), s.maxMs(), timedOut);
    }

    private static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) Thread.sleep(Duration.ofNanos(left));
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }
}
