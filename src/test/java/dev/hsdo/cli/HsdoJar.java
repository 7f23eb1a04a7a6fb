package dev.hsdo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * hsdo as a user runs it: the built jar ({@code target/hsdo.jar}, made by the package phase before the
 * integration tests) in a JVM of its own, started with the JDK running the tests (21 or newer).
 */
final class HsdoJar {
    private static final Duration ONE_SHOT_BOUND = Duration.ofSeconds(60);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private HsdoJar() {}

    /** What a one-shot command did. */
    record Result(int code, String out, String err) {}

    /** Runs {@code hsdo args} in {@code dir} with {@code env} added, until it exits (at most a minute). */
    static Result run(Path dir, Map<String, String> env, String... args) {
        int n = RUNS.incrementAndGet();
        Path out = dir.resolve("hsdo-" + n + ".out");
        Path err = dir.resolve("hsdo-" + n + ".err");
        Process p = launch(dir, env, List.of(), out, err, args);
        try {
            if (!p.waitFor(ONE_SHOT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("hsdo " + String.join(" ", args) + " did not exit within " + ONE_SHOT_BOUND);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a long-running {@code hsdo args} in {@code dir}, stdout and stderr to {@code log}. With
     * {@code ownProcessGroup} it runs under {@code setsid}, as a shell's job: the test can then signal its
     * whole process group, as a Ctrl-C in its terminal would.
     */
    static Started start(Path dir, Map<String, String> env, boolean ownProcessGroup, Path log, String... args) {
        List<String> prefix = ownProcessGroup ? List.of("setsid") : List.of();
        return new Started(launch(dir, env, prefix, log, log, args), log);
    }

    private static Process launch(Path dir, Map<String, String> env, List<String> prefix, Path out, Path err, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (out.equals(err)) pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        else pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        // Only what the test sets: no HSDO_* of the machine running the tests.
        pb.environment().keySet().removeIf(k -> k.startsWith("HSDO_"));
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("hsdo.jar", "target/hsdo.jar"));
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is missing: run the package phase first");
        return jar;
    }

    /** A running hsdo process; closing it kills it if it still runs. */
    static final class Started implements AutoCloseable {
        final Process process;
        private final Path log;

        private Started(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** Everything it printed so far. */
        String output() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        /** Sends SIGTERM (what a service manager does) and waits up to {@code bound} for the exit; true if it exited. */
        boolean terminate(Duration bound) throws InterruptedException {
            process.destroy();
            return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Kills it with SIGKILL (no shutdown hook runs) and waits up to 10 s for it to exit. */
        void kill9() {
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) kill9();
        }
    }
}
