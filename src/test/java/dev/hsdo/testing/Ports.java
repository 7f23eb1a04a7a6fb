package dev.hsdo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1, found by letting the kernel pick (bind port 0). */
public final class Ports {
    private Ports() {}

    /** One free loopback port. */
    public static int free() {
        return free(1)[0];
    }

    /** {@code n} distinct free loopback ports. */
    public static int[] free(int n) {
        if (n < 1) throw new IllegalArgumentException("port count must be >= 1, got " + n);
        // All sockets stay open until every port is picked, so the kernel cannot hand out one port twice.
        List<ServerSocket> open = new ArrayList<>(n);
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                open.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + n + " free loopback ports", e);
        } finally {
            for (ServerSocket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket that never accepted cannot lose anything
                }
            }
        }
    }
}
