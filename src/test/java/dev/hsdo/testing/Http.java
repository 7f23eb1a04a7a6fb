package dev.hsdo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP/1.1 GETs to 127.0.0.1 with short timeouts, for tests. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private Http() {}

    /** GETs {@code http://127.0.0.1:port/path}; returns the body of a 2xx answer, throws on any other status. */
    public static String get(int port, String path) {
        HttpResponse<String> r = fetch(port, path);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("GET " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** GETs {@code http://127.0.0.1:port/path} and returns the whole response, whatever its status. */
    public static HttpResponse<String> fetch(int port, String path) {
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/': " + path);
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + uri, e);
        }
    }

    /** Whether something accepts TCP connections on {@code 127.0.0.1:port}. */
    public static boolean canConnect(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
