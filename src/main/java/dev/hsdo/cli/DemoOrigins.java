package dev.hsdo.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Tiny HTTP servers on loopback that answer every request with their own name, for the quickstart. */
final class DemoOrigins implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();

    /** Starts {@code n} origins named {@code origin-1..n} on free loopback ports. */
    static DemoOrigins start(int n) throws IOException {
        DemoOrigins o = new DemoOrigins();
        for (int i = 1; i <= n; i++) {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            byte[] body = ("origin-" + i + "\n").getBytes(StandardCharsets.UTF_8);
            s.createContext("/", ex -> {
                try (ex) {
                    ex.getRequestBody().readAllBytes();
                    ex.getResponseHeaders().set("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            });
            s.start();
            o.servers.add(s);
        }
        return o;
    }

    /** The port of origin {@code i} (1-based). */
    int port(int i) {
        return servers.get(i - 1).getAddress().getPort();
    }

    int size() {
        return servers.size();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
