package dev.hsdo.discovery.consul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.config.ConsulSourceConfig.HealthPolicy;
import dev.hsdo.config.StructuredText;
import dev.hsdo.discovery.MetaCollector;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Tokens;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the answer of Consul's {@code GET /v1/health/service/<name>}: a JSON list of
 * {@code {"Node": {...}, "Service": {...}, "Checks": [...]}} entries. Pure: the caller does the request.
 *
 * <p>An instance serves when the worst status among its checks (node and service checks alike) is
 * admitted by the {@link HealthPolicy}; an unknown status counts as critical. Its address is the
 * service's address, or the node's when the service has none; it must be an IP literal (hsdo does not
 * resolve names). Its {@code meta} holds the node's meta, then the service's tags ({@code key=value}, or
 * a bare {@code key} with an empty value), then the service's meta, later ones overriding earlier ones.
 * The identity is {@code address:port}, so one instance listed twice is one server.
 */
final class ConsulHealth {
    private ConsulHealth() {}

    /**
     * The admitted instances of {@code service}.
     *
     * @throws IllegalArgumentException when the answer as a whole is unusable (not JSON, not a list); the
     *                                  caller keeps its last good endpoints
     */
    static Parsed parse(String json, String service, HealthPolicy policy) {
        JsonNode tree;
        String start = json.stripLeading();
        // Consul answers JSON only; anything else (a proxy's HTML page, plain text) must not be read as YAML.
        if (!start.isEmpty() && !start.startsWith("[") && !start.startsWith("{"))
            throw new IllegalArgumentException("service " + Tokens.show(service) + ": answer is not JSON: it starts with "
                    + Tokens.show(start.substring(0, Math.min(20, start.length()))));
        try {
            tree = StructuredText.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("service " + Tokens.show(service) + ": answer is not JSON: " + e.getMessage(), e);
        }
        if (!tree.isArray())
            throw new IllegalArgumentException("service " + Tokens.show(service) + ": expected a JSON list of instances, got "
                    + (tree.isMissingNode() ? "nothing" : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        List<Endpoint> endpoints = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Set<String> identities = new HashSet<>();
        for (int i = 0; i < tree.size(); i++) {
            JsonNode entry = tree.get(i);
            JsonNode node = entry.path("Node");
            JsonNode svc = entry.path("Service");
            String where = "service " + Tokens.show(service) + " node " + Tokens.show(node.path("Node").asText("[" + i + "]"));
            if (!admits(policy, worst(entry.path("Checks")))) continue;
            try {
                if (!svc.isObject()) throw new IllegalArgumentException("entry has no Service object");
                String address = svc.path("Address").asText("");
                if (address.isEmpty()) address = node.path("Address").asText("");
                if (address.isEmpty()) throw new IllegalArgumentException("no address (neither Service.Address nor Node.Address)");
                JsonNode port = svc.path("Port");
                if (!port.canConvertToInt()) throw new IllegalArgumentException("Service.Port: invalid value " + Tokens.show(port.asText()));
                MetaCollector meta = new MetaCollector(where, rejected).putAll(strings(node.path("Meta")));
                for (JsonNode tag : svc.path("Tags")) meta.tag(tag.asText());
                meta.putAll(strings(svc.path("Meta")));
                Endpoint e = new Endpoint(null, address, port.asInt(), null, null, meta.meta());
                if (identities.add(e.identity())) endpoints.add(e);
            } catch (IllegalArgumentException ex) {
                rejected.add(where + ": " + ex.getMessage());
            }
        }
        return new Parsed(endpoints, rejected);
    }

    /** The worst status among {@code checks}: critical over warning over passing. */
    static String worst(JsonNode checks) {
        String worst = "passing";
        for (JsonNode c : checks) {
            String s = c.path("Status").asText("");
            if (s.equals("passing")) continue;
            if (!s.equals("warning")) return "critical";
            worst = "warning";
        }
        return worst;
    }

    private static boolean admits(HealthPolicy policy, String status) {
        return switch (policy) {
            case PASSING -> status.equals("passing");
            case WARNING -> !status.equals("critical");
            case ANY -> true;
        };
    }

    /** A JSON object's entries as text (Consul meta values are strings); anything else gives none. */
    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        if (object.isObject()) object.properties().forEach(f -> out.put(f.getKey(), f.getValue().asText()));
        return out;
    }
}
