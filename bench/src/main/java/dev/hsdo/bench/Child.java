package dev.hsdo.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process (etcd, DynamoDB Local, an hsdo node) that listens on a loopback port, stopped by its PID.
 * Its output is appended to a log file, so a process started again keeps one log.
 */
final class Child implements AutoCloseable {
    private final Process process;
    private final Thread hook;

    private Child(Process process) {
        this.process = process;
        this.hook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code command} with its output in {@code log}; returns once 127.0.0.1:{@code port} accepts. */
    static Child start(List<String> command, Path log, int port) throws IOException, InterruptedException {
        return start(new ProcessBuilder(command), log, port, Duration.ofSeconds(30));
    }

    /**
     * Starts {@code builder} (its command, directory and environment) with its output appended to {@code log};
     * returns once 127.0.0.1:{@code port} accepts, or stops it and throws when it exits or {@code bound} passes.
     */
    static Child start(ProcessBuilder builder, Path log, int port, Duration bound) throws IOException, InterruptedException {
        Child c = new Child(builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
        long deadline = System.nanoTime() + bound.toNanos();
        while (!accepts(port)) {
            if (!c.process.isAlive() || System.nanoTime() > deadline) {
                String why = c.process.isAlive() ? "not listening on port " + port + " after " + bound
                        : "exited with code " + c.process.exitValue();
                c.close();
                throw new IOException(builder.command().getFirst() + " did not start (" + why + "): " + tail(log));
            }
            Thread.sleep(20);
        }
        return c;
    }

    /** The last lines of {@code log}, for an error message. */
    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    /** One etcd member alone in its cluster, its data in {@code dir/etcd}, on 127.0.0.1:{@code client} and {@code peer}. */
    static Child etcd(Path dir, int client, int peer) throws IOException, InterruptedException {
        return start(List.of("etcd", "--name", "n0", "--data-dir", dir.resolve("etcd").toString(),
                "--log-level=warn", "--logger=zap",
                "--listen-client-urls", "http://127.0.0.1:" + client, "--advertise-client-urls", "http://127.0.0.1:" + client,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "n0=http://127.0.0.1:" + peer), dir.resolve("etcd.log"), client);
    }

    /** The process's PID. */
    long pid() {
        return process.pid();
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit code, or null while it runs. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** SIGKILL, then waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        unhook();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns whether it exited within the grace period. */
    boolean stop(Duration grace) {
        process.destroy();
        boolean inTime = false;
        try {
            inTime = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!inTime) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        unhook();
        return inTime;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private void unhook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
