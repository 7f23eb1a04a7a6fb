package dev.hsdo.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK HTTP (or HTTPS) server on one free loopback port for playback tests, that can be stopped (an
 * outage: open connections drop) and started again on the same port. Each request runs on its own
 * thread, so handlers may block like a long poll.
 */
public final class LoopbackServer implements AutoCloseable {
    private final int port = Ports.free();
    private final SSLContext tls;
    private final String path;
    private final HttpHandler handler;
    // Guarded by this: replaced on restart.
    private HttpServer server;
    private ExecutorService executor;

    /** Starts serving {@code handler} under {@code path}, with TLS when {@code tls} is not null. */
    public LoopbackServer(SSLContext tls, String path, HttpHandler handler) {
        this.tls = tls;
        this.path = path;
        this.handler = handler;
        restart();
    }

    /** {@code http://127.0.0.1:port} or {@code https://...}. */
    public URI uri() {
        return URI.create((tls != null ? "https" : "http") + "://127.0.0.1:" + port);
    }

    /** The port, the same across restarts. */
    public int port() {
        return port;
    }

    /** Stops listening and drops open connections. */
    public synchronized void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Listens (again) on the same port. */
    public synchronized void restart() {
        try {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
            if (tls != null) {
                HttpsServer s = HttpsServer.create(at, 16);
                s.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = s;
            } else {
                server = HttpServer.create(at, 16);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        executor = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().name("playback-" + port).unstarted(r));
        server.setExecutor(executor);
        server.createContext(path, handler);
        server.start();
    }

    @Override
    public void close() {
        stop();
    }

    /** Decodes {@code a=1&b=2} (a query string or a form body); null gives an empty map. */
    public static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
