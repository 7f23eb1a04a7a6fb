package dev.hsdo.cli;

import dev.hsdo.testing.Origins;
import dev.hsdo.testing.ServerFile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tenant-routing set-ups of these tests: four shards {@code s1..s4} on backends {@code be1..be4}, each fed by a
 * file source holding one origin ({@code o1..o4}, answering their own name), frontend {@code fe} defaulting to
 * {@code be1}. The {@code tenants:} section is the caller's.
 */
final class TenantsYaml {
    static final List<String> SHARDS = List.of("s1", "s2", "s3", "s4");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TenantsYaml() {}

    /** The body before {@code tenants:} and {@code store:}, for a standalone or fleet node in {@code dir}. */
    static String body(Path dir, Origins origins, int frontend, int admin, String token) {
        StringBuilder b = new StringBuilder("""
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                frontends: [{name: fe, bind: "127.0.0.1:%d", default-backend: be1}]
                reconcile-interval: 500ms
                admin: {bind: "127.0.0.1:%d", token: %s}
                backends:
                """.formatted(frontend, admin, token));
        for (int i = 1; i <= 4; i++) {
            b.append("  - {name: be").append(i).append(", balance: roundrobin, sources: [src").append(i).append("]}\n");
            ServerFile.write(dir.resolve("servers" + i + ".yaml"),
                    List.of("name: o" + i + ", address: 127.0.0.1, port: " + origins.port("o" + i)));
        }
        b.append("sources:\n");
        for (int i = 1; i <= 4; i++) b.append("  - {name: src").append(i).append(", type: file, path: servers").append(i).append(".yaml}\n");
        return b.toString();
    }

    /** Shard s<i> → be<i>, as the {@code shards:} value. */
    static String shards() {
        return "{s1: be1, s2: be2, s3: be3, s4: be4}";
    }

    /** The origin a request answered from ({@code o1..o4}), sending {@code header: value}; null when it failed. */
    static String ask(int port, String path, String header, String value) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
        if (header != null) r.header(header, value);
        try {
            HttpResponse<String> resp = CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? resp.body().strip() : "status " + resp.statusCode();
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The origin that serves the request of tenant {@code tenant} by the {@code username} cookie. */
    static String byCookie(int port, String tenant) {
        return ask(port, "/", "Cookie", "username=" + tenant);
    }

    /** The origin of shard {@code shard} ({@code s3} → {@code o3}). */
    static String origin(String shard) {
        return "o" + shard.substring(1);
    }

    /** Writes {@code text} to {@code dir/name}. */
    static Path file(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
