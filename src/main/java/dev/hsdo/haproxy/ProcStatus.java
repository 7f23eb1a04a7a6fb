package dev.hsdo.haproxy;

import java.util.ArrayList;
import java.util.List;

/**
 * The master CLI's {@code show proc}, parsed. In HAProxy 2.6 it reads:
 * <pre>
 * #&lt;PID&gt;          &lt;type&gt;          &lt;reloads&gt;       &lt;uptime&gt;        &lt;version&gt;
 * 4022            master          1 [failed: 0]   0d00h01m00s     2.6.12
 * # workers
 * 5625            worker          0               0d00h00m01s     2.6.12
 * # programs
 * </pre>
 * A worker's reload count is how many reloads it has outlived, so the current worker has the lowest one
 * (after a failed reload the only worker has 1, not 0).
 *
 * @param masterPid     the master's pid
 * @param reloads       reloads the master attempted
 * @param failedReloads of which failed (the old workers kept serving)
 * @param workers       worker pids with their reload counts, as listed
 */
record ProcStatus(long masterPid, int reloads, int failedReloads, List<Worker> workers) {
    ProcStatus {
        workers = List.copyOf(workers);
    }

    /** One worker line. */
    record Worker(long pid, int reloads) {}

    /** The worker that took over at the last successful reload (or start), or -1 when there is none. */
    long currentWorker() {
        return workers.stream().min(java.util.Comparator.comparingInt(Worker::reloads)).map(Worker::pid).orElse(-1L);
    }

    /** Parses {@code show proc} output; throws {@link IllegalArgumentException} quoting it when there is no master line. */
    static ProcStatus parse(String text) {
        long master = -1;
        int reloads = 0;
        int failed = 0;
        List<Worker> workers = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) continue;
            try {
                if (f[1].equals("master")) {
                    master = Long.parseLong(f[0]);
                    reloads = Integer.parseInt(f[2]);
                    if (f.length > 4 && f[3].equals("[failed:")) failed = Integer.parseInt(f[4].replace("]", ""));
                } else if (f[1].equals("worker")) {
                    workers.add(new Worker(Long.parseLong(f[0]), Integer.parseInt(f[2])));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("show proc: cannot read line '" + line + "'", e);
            }
        }
        if (master < 0) throw new IllegalArgumentException("show proc: no master line in '" + text + "'");
        return new ProcStatus(master, reloads, failed, workers);
    }
}
