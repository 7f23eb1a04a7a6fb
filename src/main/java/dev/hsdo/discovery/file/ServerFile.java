package dev.hsdo.discovery.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.config.StructuredText;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.MetaOptions;
import dev.hsdo.model.Tokens;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the text of a server file into endpoints. Pure: the caller reads the file.
 *
 * <pre>
 * servers:
 *   - {address: 127.0.0.1, port: 8081, name: web1, weight: 100, zone: a, meta: {rack: r1}}
 *   - {address: 127.0.0.1, port: 8082}
 * </pre>
 * A bare top-level list is accepted too.
 */
final class ServerFile {
    private static final Set<String> KEYS = Set.of("address", "port", "name", "weight", "zone", "meta");
    private static final String KEY_LIST = "address, port, name, weight, zone, meta";

    private ServerFile() {}

    /**
     * Parses {@code text}; single bad entries are rejected, the rest kept.
     *
     * @param origin the file name, to prefix every message
     * @throws IllegalArgumentException "origin: problem" when the file as a whole is unusable (empty, not
     *                                  YAML/JSON, wrong top level); the caller keeps its last good endpoints
     */
    static Parsed parse(String text, String origin) {
        JsonNode tree;
        try {
            tree = StructuredText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
        // An editor that truncates before writing shows an empty file for a moment: never read that as "no servers".
        if (tree.isMissingNode()) throw new IllegalArgumentException(origin + ": empty file (write 'servers: []' for no servers)");
        String listPath = "servers";
        JsonNode list = tree;
        if (tree.isObject()) {
            for (String key : (Iterable<String>) tree::fieldNames)
                if (!key.equals("servers")) throw new IllegalArgumentException(origin + ": unknown key " + Tokens.show(key) + " at top level (expected 'servers')");
            list = tree.get("servers");
            if (list == null || !list.isArray())
                throw new IllegalArgumentException(origin + ": servers: expected a list of servers, got " + kind(list));
        } else if (tree.isArray()) {
            listPath = "";
        } else {
            throw new IllegalArgumentException(origin + ": expected a list of servers or a mapping with 'servers', got " + kind(tree));
        }

        List<Endpoint> endpoints = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Map<String, String> identities = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String where = listPath + "[" + i + "]";
            try {
                Endpoint e = endpoint(list.get(i), origin + ": " + where, rejected);
                String other = identities.putIfAbsent(e.identity(), where);
                if (other != null)
                    throw new IllegalArgumentException((e.name() != null ? "duplicate name " : "duplicate address ")
                            + Tokens.show(e.identity()) + " (also " + other + ")");
                endpoints.add(e);
            } catch (IllegalArgumentException ex) {
                rejected.add(origin + ": " + where + ": " + ex.getMessage());
            }
        }
        return new Parsed(endpoints, rejected);
    }

    /** The endpoint of entry {@code n}; an invalid option is reported as "where: problem" and left out. */
    private static Endpoint endpoint(JsonNode n, String where, List<String> rejected) {
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

    private static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "nothing";
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        return Tokens.show(v.asText());
    }
}
