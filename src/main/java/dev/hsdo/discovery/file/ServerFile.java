package dev.hsdo.discovery.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.config.StructuredText;
import dev.hsdo.discovery.EndpointJson;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Tokens;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
                throw new IllegalArgumentException(origin + ": servers: expected a list of servers, got " + EndpointJson.kind(list));
        } else if (tree.isArray()) {
            listPath = "";
        } else {
            throw new IllegalArgumentException(origin + ": expected a list of servers or a mapping with 'servers', got " + EndpointJson.kind(tree));
        }

        List<Endpoint> endpoints = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Map<String, String> identities = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String where = listPath + "[" + i + "]";
            try {
                Endpoint e = EndpointJson.endpoint(list.get(i), origin + ": " + where, rejected);
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
}
