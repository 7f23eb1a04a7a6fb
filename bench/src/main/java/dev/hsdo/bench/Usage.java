package dev.hsdo.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Samples the resident memory and CPU time of the hsdo processes from {@code /proc} every few seconds, by
 * process name (a restarted process keeps its name and gets a new PID).
 */
final class Usage implements AutoCloseable {
    record Sample(long nanos, int slot, long pid, long rssKb, long ticks) {}

    private final List<HsdoProc> procs;
    private final IntSupplier slot;
    private final long ticksPerSecond;
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    Usage(List<HsdoProc> procs, IntSupplier slot, long periodMs, long ticksPerSecond) {
        this.procs = procs;
        this.slot = slot;
        this.ticksPerSecond = ticksPerSecond;
        for (HsdoProc p : procs) samples.put(p.name, new ArrayList<>());
        this.thread = Thread.ofVirtual().name("usage").start(() -> {
            while (running) {
                sampleAll();
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private synchronized void sampleAll() {
        for (HsdoProc p : procs) {
            long pid = p.pid();
            if (pid < 0) continue;
            long rss = Procs.rssKb(pid), ticks = Procs.cpuTicks(pid);
            if (rss >= 0 && ticks >= 0) samples.get(p.name).add(new Sample(System.nanoTime(), slot.getAsInt(), pid, rss, ticks));
        }
    }

    /** CPU use in % of one core between consecutive samples of the same PID, within slot {@code s}. */
    private double cpuPercent(List<Sample> list, int fromSlot, int toSlot) {
        long ticks = 0, nanos = 0;
        for (int i = 1; i < list.size(); i++) {
            Sample a = list.get(i - 1), b = list.get(i);
            if (a.pid() != b.pid() || b.slot() < fromSlot || b.slot() > toSlot) continue;
            ticks += b.ticks() - a.ticks();
            nanos += b.nanos() - a.nanos();
        }
        return nanos == 0 ? Double.NaN : 100.0 * ticks / ticksPerSecond / (nanos / 1e9);
    }

    /** One line per process for the console, e.g. "a0 182 MB 2.1 %". */
    synchronized String slotLine(int s) {
        List<String> parts = new ArrayList<>();
        for (var e : samples.entrySet()) {
            List<Sample> list = e.getValue();
            if (list.isEmpty()) continue;
            parts.add(String.format(Locale.ROOT, "%s %d MB %.1f %%", e.getKey(), list.getLast().rssKb() / 1024,
                    cpuPercent(list, s, s)));
        }
        return String.join(", ", parts);
    }

    /**
     * A markdown table: per process, RSS at the first and last sample, its maximum, the RSS slope over the longest
     * stretch without a restart, mean CPU over the run and the busiest slot's CPU, and the number of PIDs seen.
     */
    synchronized String table(int slots) {
        StringBuilder b = new StringBuilder("| process | RSS first | RSS last | RSS max | RSS trend (longest run of one PID) | CPU mean | CPU busiest slot | PIDs |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (var e : samples.entrySet()) {
            List<Sample> list = e.getValue();
            if (list.isEmpty()) continue;
            long max = list.stream().mapToLong(Sample::rssKb).max().orElse(0);
            double busiest = 0;
            for (int s = 0; s <= slots; s++) {
                double c = cpuPercent(list, s, s);
                if (!Double.isNaN(c)) busiest = Math.max(busiest, c);
            }
            b.append(String.format(Locale.ROOT, "| %s | %d MB | %d MB | %d MB | %s | %.1f %% | %.1f %% | %d |%n", e.getKey(),
                    list.getFirst().rssKb() / 1024, list.getLast().rssKb() / 1024, max / 1024, trend(list),
                    cpuPercent(list, 0, slots), busiest, list.stream().map(Sample::pid).distinct().count()));
        }
        return b.toString();
    }

    // Least-squares slope of RSS over time for the longest run of samples of one PID.
    private static String trend(List<Sample> list) {
        int bestFrom = 0, bestTo = 0, from = 0;
        for (int i = 1; i <= list.size(); i++) {
            if (i == list.size() || list.get(i).pid() != list.get(from).pid()) {
                if (i - from > bestTo - bestFrom) {
                    bestFrom = from;
                    bestTo = i;
                }
                from = i;
            }
        }
        List<Sample> run = list.subList(bestFrom, bestTo);
        if (run.size() < 3) return "too few samples";
        double t0 = run.getFirst().nanos(), n = run.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : run) {
            double x = (s.nanos() - t0) / 60e9, y = s.rssKb() / 1024.0;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double minutes = (run.getLast().nanos() - t0) / 60e9;
        return String.format(Locale.ROOT, "%+.2f MB/min over %.1f min (%d → %d MB)", slope, minutes,
                run.getFirst().rssKb() / 1024, run.getLast().rssKb() / 1024);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
