package dev.hsdo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Requests through every agent's frontend at a fixed rate for the whole run, one connection per request
 * ({@link RawHttp}), each counted in the slot (fault window) that was current when it was sent. A request
 * fails when it gets no 200; a 200 from an origin outside the backend the path selects is counted as misrouted.
 */
final class Traffic implements AutoCloseable {
    /** What happened to the requests of one slot. Every method is thread-safe. */
    static final class Tally {
        final long startNanos;
        private final long[] sent;
        private final long[] failed;
        private long misrouted;
        private final Map<String, Integer> kinds = new TreeMap<>();
        private long firstFailure = -1;
        private long lastFailure = -1;

        Tally(long startNanos, int frontends) {
            this.startNanos = startNanos;
            this.sent = new long[frontends];
            this.failed = new long[frontends];
        }

        synchronized void count(int frontend, long at, RawHttp.Answer a, boolean misroute) {
            sent[frontend]++;
            if (misroute) misrouted++;
            if (a.ok()) return;
            failed[frontend]++;
            kinds.merge(a.kind(), 1, Integer::sum);
            long offset = at - startNanos;
            if (firstFailure < 0) firstFailure = offset;
            lastFailure = offset;
        }

        synchronized long sent() {
            long n = 0;
            for (long s : sent) n += s;
            return n;
        }

        synchronized long failed() {
            long n = 0;
            for (long f : failed) n += f;
            return n;
        }

        synchronized long misrouted() {
            return misrouted;
        }

        /** E.g. "12 of 2400 failed (a0 0, a1 12, a2 0; 12 refused) from +0.1 s to +1.3 s". */
        synchronized String describe(List<String> names) {
            StringBuilder b = new StringBuilder().append(failed()).append(" of ").append(sent()).append(" failed");
            if (failed() > 0) {
                b.append(" (");
                for (int i = 0; i < names.size(); i++) b.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(failed[i]);
                b.append("; ");
                List<String> k = new ArrayList<>();
                kinds.forEach((kind, n) -> k.add(n + " " + kind));
                b.append(String.join(", ", k)).append(')');
                b.append(String.format(java.util.Locale.ROOT, " from +%.1f s to +%.1f s", firstFailure / 1e9, lastFailure / 1e9));
            }
            if (misrouted() > 0) b.append("; ").append(misrouted()).append(" misrouted");
            return b.toString();
        }

        synchronized String kinds() {
            List<String> k = new ArrayList<>();
            kinds.forEach((kind, n) -> k.add(n + " " + kind));
            return String.join(", ", k);
        }
    }

    private final List<Integer> frontends;
    private final Set<String> filesOrigins;
    private final Set<String> dnsOrigins;
    private final long periodNanos;
    private final int keys;
    private final Map<Integer, Tally> tallies = new ConcurrentHashMap<>();
    private volatile int slot;
    private volatile boolean running = true;
    private final List<Thread> loops = new ArrayList<>();

    /**
     * @param perSecond requests per second through each frontend
     * @param keys      distinct keys per backend: paths {@code /f/<k>} and {@code /d/<k>}, taken in turn
     */
    Traffic(List<Integer> frontends, Set<String> filesOrigins, Set<String> dnsOrigins, int perSecond, int keys) {
        this.frontends = List.copyOf(frontends);
        this.filesOrigins = filesOrigins;
        this.dnsOrigins = dnsOrigins;
        this.periodNanos = 1_000_000_000L / perSecond;
        this.keys = keys;
        slot(0);
        for (int i = 0; i < frontends.size(); i++) {
            int f = i;
            loops.add(Thread.ofVirtual().name("traffic-" + i).start(() -> loop(f)));
        }
    }

    /** From now on requests count in slot {@code s}. */
    void slot(int s) {
        tallies.putIfAbsent(s, new Tally(System.nanoTime(), frontends.size()));
        slot = s;
    }

    Tally tally(int s) {
        return tallies.getOrDefault(s, new Tally(System.nanoTime(), frontends.size()));
    }

    private void loop(int f) {
        long next = System.nanoTime();
        for (long n = 0; running; n++) {
            String path = (n % 2 == 0 ? "/f/" : "/d/") + (n / 2) % keys;
            long at = System.nanoTime();
            Tally t = tallies.get(slot);
            RawHttp.Answer a = RawHttp.get(frontends.get(f), path);
            boolean misroute = a.ok() && !(path.startsWith("/f/") ? filesOrigins : dnsOrigins).contains(a.body());
            t.count(f, at, a, misroute);
            // A fixed rate: a slow answer delays the next request, it does not cause a burst to catch up.
            next = Math.max(next + periodNanos, System.nanoTime());
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : loops) t.join(10_000);
    }
}
