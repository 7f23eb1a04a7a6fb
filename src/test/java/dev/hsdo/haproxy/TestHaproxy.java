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

    /** Starts {@code haproxy -db -f cfg} and waits until HAProxy answers on {@code readySocket}. */
    static TestHaproxy start(Path cfg, Path readySocket) throws IOException {
        Path log = cfg.resolveSibling(cfg.getFileName() + ".log");
        Process p = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestHaproxy h = new TestHaproxy(p);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> answers(readySocket) || !p.isAlive());
            if (!p.isAlive()) throw new IOException("haproxy exited: " + Files.readString(log));
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /**
     * Origins without any extra program: one HAProxy with a frontend per port answering its own name
     * ({@code o<i>}). With {@code slowMs > 0} every answer is held back that long (a tarpit answering 200),
     * to keep requests in flight.
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
                  timeout tarpit %dms
                """.formatted(dir.resolve("origins.sock"), Math.max(slowMs, 1)));
        String answer = slowMs > 0 ? "http-request tarpit deny_status 200" : "http-request return status 200";
        for (int i = 0; i < ports.size(); i++) {
            cfg.append("frontend o").append(i + 1).append("\n  bind 127.0.0.1:").append(ports.get(i)).append('\n')
                    .append("  ").append(answer).append(" content-type text/plain string \"o").append(i + 1)
                    .append("\\n\"\n");
        }
        Path file = dir.resolve("origins.cfg");
        Files.writeString(file, cfg);
        return start(file, dir.resolve("origins.sock"));
    }

    /** Whether HAProxy answers {@code show info} on the stats socket right now. */
    static boolean answers(Path socket) {
        try {
            return UnixCli.send(socket, "show info", Duration.ofSeconds(1)).contains("Pid:");
        } catch (IOException e) {
            return false;
        }
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
        try {
            // SIGTERM first: a master stops and reaps its workers itself, leaving no zombie behind.
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle c : children) {
                c.destroyForcibly();
                c.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("haproxy " + process.pid() + " did not exit", e);
        }
    }
}
