package dev.hsdo.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The lookup service of the sharding write-up's design, as small as it can be: {@code GET /shard?tenant=ID}
 * answers 200 with the tenant's shard name, or 404 for an unknown tenant. JDK {@link HttpServer} with its
 * default executor (handlers on the dispatcher thread) and the default listen backlog, as a small service
 * would run. Its own process, so that "the lookup service is down" is a process stopped by its PID.
 *
 * <p>Usage: {@code TenantLookup <port> <tenants.csv>} (lines {@code tenant,shard}); listens on 127.0.0.1.
 */
public final class TenantLookup {
    private TenantLookup() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: TenantLookup <port> <tenants.csv>");
        Map<String, String> shards = TenantShards.read(Path.of(args[1])).shards();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 0);
        server.createContext("/shard", exchange -> answer(exchange, shards));
        server.start();
    }

    private static void answer(HttpExchange exchange, Map<String, String> shards) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String shard = query != null && query.startsWith("tenant=") ? shards.get(query.substring("tenant=".length())) : null;
            byte[] body = (shard == null ? "unknown tenant\n" : shard).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(shard == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
