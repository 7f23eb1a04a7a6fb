package dev.hsdo.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child process (etcd, DynamoDB Local) that listens on a loopback port, stopped by its PID. */
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
        Child c = new Child(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!accepts(port)) {
            if (!c.process.isAlive() || System.nanoTime() > deadline) {
                c.close();
                throw new IOException(command.getFirst() + " did not start: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return c;
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

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
