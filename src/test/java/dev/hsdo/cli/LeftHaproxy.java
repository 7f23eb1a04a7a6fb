package dev.hsdo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HAProxy that hsdo runs from {@code runtimeDir}, seen from outside through its pid file: hsdo leaves it
 * running when it stops, so a test stops it by its PID when done ({@code running.add(new LeftHaproxy(dir))}
 * before hsdo starts, so that it is closed after hsdo).
 */
record LeftHaproxy(Path runtimeDir) implements AutoCloseable {
    /** The master the pid file names, if it is alive. */
    Optional<ProcessHandle> master() {
        try {
            Path pidFile = runtimeDir.resolve("haproxy.pid");
            if (!Files.exists(pidFile)) return Optional.empty();
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The master's pid, or -1 when none runs. */
    long masterPid() {
        return master().map(ProcessHandle::pid).orElse(-1L);
    }

    /** One command on its admin socket ({@code run/admin.sock}), independent of hsdo's client; the whole answer. */
    String cli(String command) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(runtimeDir.resolve("admin.sock")))) {
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy admin socket of " + runtimeDir + ": " + command, e);
        }
    }

    /** Kills the master and its workers by PID and waits until they are gone. */
    @Override
    public void close() {
        Optional<ProcessHandle> m = master();
        if (m.isEmpty()) return;
        List<ProcessHandle> all = new ArrayList<>(m.get().descendants().toList());
        all.add(m.get());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("haproxy " + h.pid() + " of " + runtimeDir + " did not exit after SIGKILL", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping haproxy " + h.pid(), e);
            }
        }
    }
}
