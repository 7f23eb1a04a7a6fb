package dev.hsdo.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hsdo.store.PlanJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The admin HTTP API: health, readiness, Prometheus metrics, the plan and the status. It listens where
 * configured (loopback by default); writes need the bearer token, and are refused when none is set.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final AdminView view;
    private final PrometheusMeterRegistry registry;
    private final String token;

    public AdminServer(InetSocketAddress bind, AdminView view, PrometheusMeterRegistry registry, String token) throws IOException {
        this.view = view;
        this.registry = registry;
        this.token = token;
        this.server = HttpServer.create(bind, 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
    }

    /** Starts serving. */
    public void start() {
        server.start();
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals(TenantsApi.PATH) || path.startsWith(TenantsApi.PATH + "/")) {
                tenants(ex, path, method);
                return;
            }
            if (method.equals("POST")) {
                handleWrite(ex, path);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(ex, 405, "text/plain", "method not allowed\n");
                return;
            }
            switch (path) {
                case "/" -> sendPage(ex);
                case "/healthz" -> send(ex, 200, "text/plain", "ok\n");
                case "/readyz" -> {
                    String reason = view.notReadyReason();
                    // A ready node with a note (a store outage while the last plan is served) stays ready: failing
                    // it would pull every healthy proxy out of rotation at once.
                    String note = reason == null ? view.readyNote() : null;
                    if (reason == null) send(ex, 200, "text/plain", note == null ? "ready\n" : "ready\n" + note + "\n");
                    else send(ex, 503, "text/plain", "not ready: " + reason + "\n");
                }
                case "/metrics" -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                case "/api/v1/plan" -> send(ex, 200, "application/json", PlanJson.write(view.plan()));
                case "/api/v1/status" -> send(ex, 200, "application/json", json(view.status()));
                default -> send(ex, 404, "text/plain", "not found: " + path + "\n");
            }
        } catch (RuntimeException e) {
            log.warn("admin request {} failed", ex.getRequestURI(), e);
            send(ex, 500, "text/plain", "internal error: " + e.getMessage() + "\n");
        }
    }

    // The tenant table: reads for everyone, writes with the token (see TenantsApi).
    private void tenants(HttpExchange ex, String path, String method) throws IOException {
        TenantsApi.Answer a;
        if (method.equals("GET") || method.equals("HEAD")) {
            a = TenantsApi.read(path, view.plan(), view.tenantBook());
        } else {
            if (!authorized(ex)) return;
            byte[] body = ex.getRequestBody().readNBytes(TenantsApi.maxBody() + 1);
            if (body.length > TenantsApi.maxBody()) {
                send(ex, 413, "text/plain", "body larger than " + TenantsApi.maxBody() + " bytes\n");
                return;
            }
            a = TenantsApi.write(method, path, body, "true".equals(query(ex, "replace")), view.tenantBook());
        }
        send(ex, a.status(), "application/json", TenantsApi.json(a.body()));
    }

    // Sends the refusal and returns false unless the request carries the bearer token (and one is set).
    private boolean authorized(HttpExchange ex) throws IOException {
        if (token == null || token.isEmpty()) {
            send(ex, 403, "text/plain", "writes are disabled: set admin.token\n");
            return false;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
            send(ex, 401, "text/plain", "missing or wrong bearer token\n");
            return false;
        }
        return true;
    }

    private void handleWrite(HttpExchange ex, String path) throws IOException {
        if (!authorized(ex)) return;
        switch (path) {
            case "/api/v1/reconcile" -> {
                view.reconcileNow();
                send(ex, 202, "text/plain", "reconcile requested\n");
            }
            case "/api/v1/guard/release" -> {
                String backend = query(ex, "backend");
                if (backend == null) send(ex, 400, "text/plain", "missing query parameter 'backend'\n");
                else if (view.releaseGuard(backend)) send(ex, 202, "text/plain", "guard released for backend " + backend + "\n");
                else send(ex, 404, "text/plain", "no backend named '" + backend + "'\n");
            }
            default -> send(ex, 404, "text/plain", "not found: " + path + "\n");
        }
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getQuery();
        if (q == null) return null;
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(key)) return part.substring(eq + 1);
        }
        return null;
    }

    private static String json(Map<String, Object> doc) {
        try {
            return PlanJson.mapper().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The status page: one self-contained resource that reads {@code /api/v1/status}. The policy forbids anything
     * from elsewhere, so a page that ever pulled an external asset would break visibly rather than leak.
     */
    private void sendPage(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, "text/html; charset=utf-8", StatusPage.html());
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
