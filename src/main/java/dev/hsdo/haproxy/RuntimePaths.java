package dev.hsdo.haproxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the HAProxy that hsdo runs keeps its files.
 *
 * @param runtimeDir   the directory of all of them
 * @param configFile   the rendered {@code haproxy.cfg}
 * @param adminSocket  the Runtime API socket (stats socket, level admin)
 * @param masterSocket the master CLI socket
 * @param pidFile      the master's pid file
 */
public record RuntimePaths(Path runtimeDir, Path configFile, Path adminSocket, Path masterSocket, Path pidFile) {
    // HAProxy 2.6 refuses longer unix socket paths: it binds "<path>.<pid>.tmp" first, then renames.
    static final int MAX_SOCKET_PATH = 97;

    public RuntimePaths {
        Objects.requireNonNull(runtimeDir, "runtimeDir");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(pidFile, "pidFile");
        requireShort("adminSocket", adminSocket);
        requireShort("masterSocket", masterSocket);
    }

    /** The standard layout: {@code haproxy.cfg}, {@code admin.sock}, {@code master.sock}, {@code haproxy.pid} in {@code dir}. */
    public static RuntimePaths in(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return new RuntimePaths(d, d.resolve("haproxy.cfg"), d.resolve("admin.sock"), d.resolve("master.sock"),
                d.resolve("haproxy.pid"));
    }

    /**
     * Where HAProxy's own output (start-up alerts and warnings, a {@code stdout} log target) goes: a file,
     * so that HAProxy can outlive hsdo, which passes the lines on to its log while it runs.
     */
    public Path outputFile() {
        return runtimeDir.resolve("haproxy.out");
    }

    private static void requireShort(String what, Path socket) {
        Objects.requireNonNull(socket, what);
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH)
            throw new IllegalArgumentException(what + ": path " + socket + " is " + length
                    + " bytes long; HAProxy accepts unix socket paths of at most " + MAX_SOCKET_PATH);
    }
}
