package dev.hsdo.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays Consul's HTTP API back for the part hsdo reads: {@code GET /v1/health/service/<name>} answering
 * the documented JSON with {@code X-Consul-Index}, including blocking queries ({@code index}, {@code wait}):
 * a query whose index is current waits until the service changes or {@code wait} runs out, then answers
 * with the current index. Faults (an error status, a malformed body) and stopping the server simulate an
 * outage. Listens on 127.0.0.1 only.
 */
public final class ConsulPlayback implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request as received.
     *
     * @param service the service name in the path
     * @param query   the query parameters
     * @param token   the {@code X-Consul-Token} header, or null
     */
    public record Request(String service, Map<String, String> query, String token) {
        /** The {@code index} parameter, 0 when absent. */
        public long index() {
            return Long.parseLong(query.getOrDefault("index", "0"));
        }
    }

    /**
     * One service instance, the fields that matter, rendered into the full documented shape.
     *
     * @param node           node name
     * @param nodeAddress    Node.Address
     * @param serviceAddress Service.Address ("" for none: the node's is used)
     * @param port           Service.Port
     * @param status         the service check's status: passing, warning or critical
     * @param tags           Service.Tags
     * @param nodeMeta       Node.Meta
     * @param serviceMeta    Service.Meta
     */
    public record Instance(String node, String nodeAddress, String serviceAddress, int port, String status,
                           List<String> tags, Map<String, String> nodeMeta, Map<String, String> serviceMeta) {
        /** A passing instance at {@code address:port} on node {@code node}, without tags or meta. */
        public static Instance passing(String node, String address, int port) {
            return new Instance(node, address, "", port, "passing", List.of(), Map.of(), Map.of());
        }

        /** This instance with another check status. */
        public Instance status(String s) {
            return new Instance(node, nodeAddress, serviceAddress, port, s, tags, nodeMeta, serviceMeta);
        }

        /** This instance with service tags. */
        public Instance tags(String... t) {
            return new Instance(node, nodeAddress, serviceAddress, port, status, List.of(t), nodeMeta, serviceMeta);
        }

        /** This instance with node meta. */
        public Instance nodeMeta(Map<String, String> m) {
            return new Instance(node, nodeAddress, serviceAddress, port, status, tags, m, serviceMeta);
        }

        /** This instance with service meta. */
        public Instance serviceMeta(Map<String, String> m) {
            return new Instance(node, nodeAddress, serviceAddress, port, status, tags, nodeMeta, m);
        }
    }

    private record Fault(int status, String body) {
    }

    private final Object lock = new Object();
    // Guarded by lock: service → [index, body]; the fault every answer gives while set; what was asked.
    private final Map<String, Object[]> services = new HashMap<>();
    private Fault fault;
    private final List<Request> requests = new ArrayList<>();
    private final LoopbackServer server;

    private ConsulPlayback(SSLContext tls) {
        this.server = new LoopbackServer(tls, "/v1/health/service/", this::health);
    }

    /** Starts plain HTTP on a free loopback port. */
    public static ConsulPlayback start() {
        return start(null);
    }

    /** Starts HTTPS with {@code tls} (or plain HTTP when null) on a free loopback port. */
    public static ConsulPlayback start(SSLContext tls) {
        return new ConsulPlayback(tls);
    }

    /** The address to configure: {@code http://127.0.0.1:port} (or https). */
    public URI address() {
        return server.uri();
    }

    /** Sets what {@code service} answers and at which index; blocked queries on it answer at once. */
    public void set(String service, long index, Instance... instances) {
        setRaw(service, index, json(instances));
    }

    /**
     * Sets what {@code service} answers without waking the queries blocked on it, as a proxy holding them (or
     * a query sent again to a restarted Consul) would: only a new query sees the change.
     */
    public void setUnnoticed(String service, long index, Instance... instances) {
        synchronized (lock) {
            services.put(service, new Object[]{index, json(instances)});
        }
    }

    /** Sets the raw body {@code service} answers. */
    public void setRaw(String service, long index, String body) {
        synchronized (lock) {
            services.put(service, new Object[]{index, body});
            lock.notifyAll();
        }
    }

    /** From now on every request gets {@code status} with {@code body} (200 with a broken body: malformed). */
    public void fault(int status, String body) {
        synchronized (lock) {
            fault = new Fault(status, body);
            lock.notifyAll();
        }
    }

    /** Ends the fault. */
    public void clearFault() {
        synchronized (lock) {
            fault = null;
        }
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** The requests for {@code service}. */
    public List<Request> requests(String service) {
        return requests().stream().filter(r -> r.service().equals(service)).toList();
    }

    /** Stops listening and drops open connections, as a Consul agent that died would. */
    public void stop() {
        server.stop();
    }

    /** Listens again on the same port with the same state. */
    public void restart() {
        server.restart();
    }

    @Override
    public void close() {
        stop();
    }

    private void health(HttpExchange ex) throws IOException {
        try (ex) {
            String service = ex.getRequestURI().getRawPath().substring("/v1/health/service/".length());
            Map<String, String> query = LoopbackServer.form(ex.getRequestURI().getRawQuery());
            Request req = new Request(URLDecoder.decode(service, StandardCharsets.UTF_8), query,
                    ex.getRequestHeaders().getFirst("X-Consul-Token"));
            long index = req.index();
            long deadline = System.nanoTime() + waitOf(query.get("wait")).toNanos();
            Fault f;
            long currentIndex;
            String body;
            synchronized (lock) {
                requests.add(req);
                // Blocks like Consul: while nothing passed the client's index, up to its wait.
                while (fault == null && index > 0 && indexOf(req.service()) <= index) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    lock.wait(Math.max(1, left / 1_000_000));
                }
                f = fault;
                currentIndex = indexOf(req.service());
                Object[] entry = services.get(req.service());
                body = entry == null ? "[]" : (String) entry[1];
            }
            if (f != null) {
                send(ex, f.status(), f.body(), currentIndex);
            } else {
                send(ex, 200, body, currentIndex);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long indexOf(String service) {
        Object[] entry = services.get(service);
        return entry == null ? 1 : (Long) entry[0];
    }

    private static void send(HttpExchange ex, int status, String body, long index) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
        ex.getResponseHeaders().set("X-Consul-Index", Long.toString(index));
        ex.getResponseHeaders().set("X-Consul-Knownleader", "true");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
    }

    /** Consul's wait syntax as hsdo sends it ({@code 250ms}, {@code 5s}, {@code 1m}); 5 minutes when absent. */
    private static Duration waitOf(String w) {
        if (w == null) return Duration.ofMinutes(5);
        if (w.endsWith("ms")) return Duration.ofMillis(Long.parseLong(w.substring(0, w.length() - 2)));
        if (w.endsWith("s")) return Duration.ofSeconds(Long.parseLong(w.substring(0, w.length() - 1)));
        if (w.endsWith("m")) return Duration.ofMinutes(Long.parseLong(w.substring(0, w.length() - 1)));
        throw new IllegalArgumentException("wait " + w);
    }

    /** The documented JSON of {@code /v1/health/service/<name>} for these instances. */
    public static String json(Instance... instances) {
        ArrayNode list = JSON.createArrayNode();
        for (Instance i : instances) {
            ObjectNode entry = list.addObject();
            ObjectNode node = entry.putObject("Node");
            node.put("ID", java.util.UUID.nameUUIDFromBytes(i.node().getBytes(StandardCharsets.UTF_8)).toString());
            node.put("Node", i.node());
            node.put("Address", i.nodeAddress());
            node.put("Datacenter", "dc1");
            ObjectNode tagged = node.putObject("TaggedAddresses");
            tagged.put("lan", i.nodeAddress());
            tagged.put("wan", i.nodeAddress());
            ObjectNode nodeMeta = node.putObject("Meta");
            i.nodeMeta().forEach(nodeMeta::put);
            node.put("CreateIndex", 5);
            node.put("ModifyIndex", 5);
            ObjectNode svc = entry.putObject("Service");
            String id = "web-" + i.node();
            svc.put("ID", id);
            svc.put("Service", "web");
            ArrayNode tags = svc.putArray("Tags");
            i.tags().forEach(tags::add);
            svc.put("Address", i.serviceAddress());
            ObjectNode svcMeta = svc.putObject("Meta");
            i.serviceMeta().forEach(svcMeta::put);
            svc.put("Port", i.port());
            ObjectNode weights = svc.putObject("Weights");
            weights.put("Passing", 10);
            weights.put("Warning", 1);
            svc.put("EnableTagOverride", false);
            svc.put("CreateIndex", 7);
            svc.put("ModifyIndex", 7);
            ArrayNode checks = entry.putArray("Checks");
            ObjectNode serf = checks.addObject();
            serf.put("Node", i.node());
            serf.put("CheckID", "serfHealth");
            serf.put("Name", "Serf Health Status");
            serf.put("Status", "passing");
            serf.put("Notes", "");
            serf.put("Output", "Agent alive and reachable");
            serf.put("ServiceID", "");
            serf.put("ServiceName", "");
            serf.putArray("ServiceTags");
            ObjectNode check = checks.addObject();
            check.put("Node", i.node());
            check.put("CheckID", "service:" + id);
            check.put("Name", "Service 'web' check");
            check.put("Status", i.status());
            check.put("Notes", "");
            check.put("Output", "HTTP GET http://" + i.nodeAddress() + ":" + i.port() + "/: 200 OK");
            check.put("ServiceID", id);
            check.put("ServiceName", "web");
            ArrayNode checkTags = check.putArray("ServiceTags");
            i.tags().forEach(checkTags::add);
        }
        return list.toPrettyString();
    }
}
