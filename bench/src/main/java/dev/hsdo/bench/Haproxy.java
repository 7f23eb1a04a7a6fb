package dev.hsdo.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One HAProxy child process in the foreground, with its config and admin socket in a work directory.
 * {@link #close()} stops it by its PID; a shutdown hook does the same if the JVM is interrupted.
 */
final class Haproxy implements AutoCloseable {
    private final Process process;
    private final Thread hook;
    final Path socket;

    private Haproxy(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
        this.hook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts {@code haproxy -f dir/name.cfg} with a {@code global} section that opens an admin socket at
     * {@code dir/name.sock}, followed by {@code body}; returns once the socket accepts connections.
     */
    static Haproxy start(Path dir, String name, String body) throws IOException, InterruptedException {
        return start(dir, name, "  maxconn 4096\n", body);
    }

    /**
     * The same with {@code global} (lines, each ending in a newline) in the global section after the admin
     * socket, instead of {@code maxconn 4096}.
     */
    static Haproxy start(Path dir, String name, String global, String body) throws IOException, InterruptedException {
        Path socket = dir.resolve(name + ".sock");
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(cfg, """
                global
                  stats socket %s mode 600 level admin
                  stats timeout 2m
                %sdefaults
                  mode http
                  timeout connect 1s
                  timeout client 30s
                  timeout server 30s
                """.formatted(socket, global) + body);
        Process p = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        Haproxy h = new Haproxy(p, socket);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!accepts(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                h.close();
                throw new IOException("haproxy " + cfg + " did not start: " + Files.readString(dir.resolve(name + ".log")));
            }
            Thread.sleep(20);
        }
        return h;
    }

    /** One HAProxy named "origins" with a frontend per port answering 200 and its name, o1, o2, ... */
    static Haproxy origins(Path dir, List<Integer> ports) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < ports.size(); i++)
            body.append("frontend o").append(i + 1).append("\n  bind 127.0.0.1:").append(ports.get(i))
                    .append("\n  http-request return status 200 content-type text/plain string o").append(i + 1).append('\n');
        return start(dir, "origins", body.toString());
    }

    /** The PID of the HAProxy process. */
    long pid() {
        return process.pid();
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code n} distinct free TCP ports on 127.0.0.1, found by binding port 0. */
    static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran already
        }
    }
}
