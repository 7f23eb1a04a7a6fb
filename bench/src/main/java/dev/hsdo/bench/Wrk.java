package dev.hsdo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One wrk run with {@code bench/tenant-routing/wrk.lua}, stopped by its PID if it overruns, and what its
 * {@code RESULT} line says.
 */
final class Wrk {
    private Wrk() {}

    /** What one run measured; latencies in microseconds, counts of requests unless named users. */
    record Result(long requests, long durationUs, long p50Us, long p90Us, long p99Us, long maxUs, long ok, long non2xx,
                  long misrouted, long unanswered, long users, long wrongUsers, long socketErrors) {
        double perSecond() {
            return requests * 1e6 / durationUs;
        }

        /** Requests answered 2xx by a shard other than the tenant's, as a share of all requests. */
        double misroutedShare() {
            return requests == 0 ? 0 : (double) misrouted / requests;
        }

        /** Tenants answered by a wrong shard at least once, as a share of the tenants answered. */
        double wrongUserShare() {
            return users == 0 ? 0 : (double) wrongUsers / users;
        }

        /** Requests that did not get a 2xx answer: non-2xx statuses and socket errors (connect, read, write, timeout). */
        long failed() {
            return non2xx + socketErrors;
        }
    }

    /**
     * Runs wrk against {@code url} for {@code duration} with {@code threads} threads and {@code connections}
     * connections, the script checking answers against {@code table} ({@code check}) or only counting them;
     * wrk's own output goes to {@code log}.
     */
    static Result run(Path script, Path table, boolean check, String url, Duration duration, int threads, int connections,
                      Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t", Integer.toString(threads), "-c", Integer.toString(connections),
                "-d", duration.toSeconds() + "s", "--timeout", "10s", "--latency", "-s", script.toString(), url,
                "--", table.toString(), check ? "check" : "none"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS))
                throw new IOException("wrk did not end within " + (duration.toSeconds() + 30) + " s: " + Child.tail(log));
        } finally {
            if (p.isAlive()) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0) throw new IOException("wrk exited with " + p.exitValue() + ": " + out);
        return parse(out);
    }

    /** The {@code RESULT key=value ...} line of {@code output}. */
    static Result parse(String output) throws IOException {
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IOException("no RESULT line in wrk's output: " + output));
        Map<String, Long> v = fields(line.substring("RESULT ".length()));
        return new Result(field(v, "requests", line), field(v, "duration_us", line), field(v, "p50_us", line),
                field(v, "p90_us", line), field(v, "p99_us", line), field(v, "max_us", line), field(v, "ok", line),
                field(v, "non2xx", line), field(v, "misrouted", line), field(v, "unanswered", line), field(v, "users", line),
                field(v, "wrong_users", line), field(v, "connect_errors", line) + field(v, "read_errors", line)
                        + field(v, "write_errors", line) + field(v, "timeouts", line));
    }

    /** The {@code key=number} pairs of {@code line}, separated by spaces. */
    static Map<String, Long> fields(String line) throws IOException {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String pair : line.trim().split(" +")) {
            int eq = pair.indexOf('=');
            try {
                if (eq < 1) throw new NumberFormatException("no key=value");
                v.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IOException("bad field '" + pair + "' in '" + line.trim() + "' (expected key=number)");
            }
        }
        return v;
    }

    private static long field(Map<String, Long> fields, String name, String line) throws IOException {
        Long value = fields.get(name);
        if (value == null) throw new IOException("no field '" + name + "' in " + line);
        return value;
    }
}
