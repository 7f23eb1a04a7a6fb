package dev.hsdo.haproxy;

import dev.hsdo.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The haproxy.cfg that a start, restart or reload reads. It is replaced only atomically, and
 * {@link #writeChecked} lets only a config that {@code haproxy -c} accepts take the old one's place.
 */
public final class HaproxyConfigFile {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(2);

    /** The outcome of {@code haproxy -c}. */
    public record CheckResult(boolean ok, String output) {}

    private final String binary;
    private final Path file;

    public HaproxyConfigFile(String binary, Path file) {
        this.binary = binary;
        this.file = file;
    }

    /** The file. */
    public Path path() {
        return file;
    }

    /**
     * Runs {@code <binary> -c -f <cfg>}.
     *
     * @throws IOException when the binary cannot be run
     */
    public static CheckResult check(String binary, Path cfg) throws IOException {
        // Output goes to a file so that a slow check cannot block on a full pipe while we wait with a bound.
        Path out = Files.createTempFile("haproxy-check", ".out");
        try {
            Process p = new ProcessBuilder(binary, "-c", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done = waitFor(p, CHECK_TIMEOUT);
            if (!done) {
                p.destroyForcibly();
                waitFor(p, KILL_WAIT);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (!done) return new CheckResult(false, "haproxy -c did not finish within " + CHECK_TIMEOUT + "\n" + output);
            return new CheckResult(p.exitValue() == 0, output);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Checks the file as it is now. */
    public CheckResult check() throws IOException {
        return check(binary, file);
    }

    /** Replaces the file atomically without checking it. Prefer {@link #writeChecked}. */
    public void write(String text) throws IOException {
        AwaitStickLua.writeFor(file, text);
        AtomicFiles.write(file, text);
    }

    /**
     * Writes {@code text} aside, checks it with {@code haproxy -c}, and only then moves it atomically over
     * the file. A rejected config leaves the old file untouched.
     *
     * @throws HaproxyException when HAProxy rejects the config; the message carries HAProxy's output
     */
    public void writeChecked(String text) throws IOException, HaproxyException {
        AwaitStickLua.writeFor(file, text);
        Path tmp = AtomicFiles.writeAside(file, text);
        try {
            CheckResult result = check(binary, tmp);
            if (!result.ok())
                throw new HaproxyException("haproxy -c rejected the new config; " + file + " was left as it was:\n"
                        + result.output());
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Waits up to {@code d} for {@code p} to exit; true when it did. */
    static boolean waitFor(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
