package dev.hsdo.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.MetaOptions;
import dev.hsdo.model.Tokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One endpoint written as a mapping, the same in a servers file and in a registry entry:
 * {@code {address: 10.0.0.1, port: 8080, name: web1, weight: 100, zone: a, meta: {rack: r1}}}, where only
 * {@code address} and {@code port} are required. Pure.
 */
public final class EndpointJson {
    private static final Set<String> KEYS = Set.of("address", "port", "name", "weight", "zone", "meta");
    private static final String KEY_LIST = "address, port, name, weight, zone, meta";

    private EndpointJson() {}

    /**
     * The endpoint described by {@code n}; an invalid {@code hsdo.} option is reported to {@code rejected} as
     * "where: problem" and left out.
     *
     * @throws IllegalArgumentException naming the key and the value when the entry as a whole is invalid
     */
    public static Endpoint endpoint(JsonNode n, String where, List<String> rejected) {
        if (!n.isObject()) throw new IllegalArgumentException("expected a mapping, got " + kind(n));
        for (String key : (Iterable<String>) n::fieldNames)
            if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown key " + Tokens.show(key) + " (allowed: " + KEY_LIST + ")");
        String address = text(n, "address");
        if (address == null) throw new IllegalArgumentException("address: is required");
        Integer port = integer(n, "port");
        if (port == null) throw new IllegalArgumentException("port: is required");
        Map<String, String> meta = new LinkedHashMap<>();
        JsonNode m = n.get("meta");
        if (m != null && !m.isNull()) {
            if (!m.isObject()) throw new IllegalArgumentException("meta: expected a mapping, got " + kind(m));
            for (String key : (Iterable<String>) m::fieldNames) {
                String value = text(m, key, "meta[" + key + "]");
                // An invalid option costs that option, not the server.
                String problem = MetaOptions.problem(key, value);
                if (problem != null) rejected.add(where + ": " + problem + " skipped");
                else meta.put(key, value);
            }
        }
        return new Endpoint(text(n, "name"), address, port, integer(n, "weight"), text(n, "zone"), meta);
    }

    private static String text(JsonNode n, String key) {
        return text(n, key, key);
    }

    /** The scalar under {@code key} as text, or null when absent. */
    private static String text(JsonNode n, String key, String what) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new IllegalArgumentException(what + ": expected a single value, got " + kind(v));
        return v.asText();
    }

    private static Integer integer(JsonNode n, String key) {
        String s = text(n, key);
        if (s == null) return null;
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": invalid value " + Tokens.show(s) + " (expected an integer)");
        }
    }

    public static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "nothing";
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        return Tokens.show(v.asText());
    }
}
