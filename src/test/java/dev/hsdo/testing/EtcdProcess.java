package dev.hsdo.testing;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real etcd (the Debian {@code etcd-server} package) on free loopback ports in a test's directory,
 * started as a child process and stopped by its PID. It can be stopped and started again with the same
 * data and ports, to test an outage.
 */
public final class EtcdProcess implements AutoCloseable {
    private static final Duration START_BOUND = Duration.ofSeconds(15);
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    // Guarded by this: replaced on restart.
    private Process process;

    private EtcdProcess(Path dir) {
        this.dir = dir;
        int[] ports = Ports.free(2);
        this.clientPort = ports[0];
        this.peerPort = ports[1];
    }

    /** Starts etcd with its data in {@code dir/etcd} and returns once it answers {@code /health}. */
    public static EtcdProcess start(Path dir) {
        EtcdProcess e = new EtcdProcess(dir);
        e.launch();
        return e;
    }

    /** The client URL, {@code http://127.0.0.1:port}. */
    public URI clientUrl() {
        return URI.create("http://127.0.0.1:" + clientPort);
    }

    /** Stops etcd (SIGTERM, then SIGKILL after a bound) and waits for it to exit. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly();
            if (!process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS))
                throw new IllegalStateException("etcd pid " + process.pid() + " did not exit");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Starts etcd again with the same data and ports. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private boolean healthy() {
        try {
            return Http.fetch(clientPort, "/health").body().contains("\"health\":\"true\"");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private synchronized void launch() {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = List.of(System.getProperty("hsdo.etcd", "etcd"), "--name", "n1",
                "--data-dir", dir.resolve("etcd").toString(), "--logger=zap", "--log-level=warn",
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "n1=" + peer, "--initial-cluster-state", "new");
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd (install etcd-server): " + String.join(" ", cmd), e);
        }
        Process started = process;
        try {
            Awaitility.await("etcd on " + client + " healthy").atMost(START_BOUND).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!started.isAlive()) throw new IllegalStateException("etcd exited: " + Files.readString(dir.resolve("etcd.log")));
                        return healthy();
                    });
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }
}
