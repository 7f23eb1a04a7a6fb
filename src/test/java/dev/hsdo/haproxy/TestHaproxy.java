package dev.hsdo.haproxy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A plain HAProxy started by a test, stopped by its PID (and its workers' PIDs). */
final class TestHaproxy implements AutoCloseable {
    private final Process process;

    private TestHaproxy(Process process) {
        this.process = process;
    }

    /** Starts {@code haproxy -db -f cfg} and waits until {@code readySocket} accepts connections. */
    static TestHaproxy start(Path cfg, Path readySocket) throws IOException {
        Path log = cfg.resolveSibling(cfg.getFileName() + ".log");
        Process p = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestHaproxy h = new TestHaproxy(p);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> UnixCli.accepts(readySocket) || !p.isAlive());
            if (!p.isAlive()) throw new IOException("haproxy exited: " + Files.readString(log));
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /**
     * Origins without any extra program: one HAProxy with a frontend per port answering its own name
     * ({@code o<i>}). With {@code slowMs > 0} every answer is held back that long, to keep requests in flight.
     */
    static TestHaproxy origins(Path dir, List<Integer> ports, int slowMs) throws IOException {
        StringBuilder cfg = new StringBuilder("""
                global
                  stats socket %s mode 600 level admin
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 10s
                  timeout server 10s
                """.formatted(dir.resolve("origins.sock")));
        for (int i = 0; i < ports.size(); i++) {
            cfg.append("frontend o").append(i + 1).append("\n  bind 127.0.0.1:").append(ports.get(i)).append('\n');
            if (slowMs > 0)
                cfg.append("  tcp-request inspect-delay ").append(slowMs).append("ms\n")
                        .append("  tcp-request content accept if WAIT_END\n");
            cfg.append("  http-request return status 200 content-type text/plain string \"o").append(i + 1).append("\\n\"\n");
        }
        Path file = dir.resolve("origins.cfg");
        Files.writeString(file, cfg);
        return start(file, dir.resolve("origins.sock"));
    }

    /** What {@code haproxy -c} said. */
    record Checked(boolean ok, String output) {}

    /** Runs {@code haproxy -c -f cfg}. */
    static Checked check(Path cfg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("haproxy", "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Checked(p.waitFor() == 0, output);
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle c : children) c.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("haproxy " + process.pid() + " did not exit", e);
        }
    }
}
