package dev.hsdo.discovery.etcd;

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
import java.util.SortedMap;

/**
 * Reads registry entries: one key per endpoint, its value the endpoint as a JSON object in the servers-file
 * form ({@code {"address": "10.0.0.1", "port": 8080, "name": "web1", "meta": {"pow": "true"}}}, see
 * {@link EndpointJson}). Pure: the caller reads etcd. A bad entry is rejected with its key; the others stay.
 */
final class RegistryEntries {
    private RegistryEntries() {}

    /**
     * @param entries key → value, in key order (so a duplicate is always the later key)
     */
    static Parsed parse(SortedMap<String, String> entries) {
        List<Endpoint> endpoints = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Map<String, String> identities = new HashMap<>();
        entries.forEach((key, value) -> {
            String where = "key " + Tokens.show(key);
            try {
                if (!value.stripLeading().startsWith("{")) throw new IllegalArgumentException("value is not a JSON object");
                JsonNode n = StructuredText.parse(value);
                Endpoint e = EndpointJson.endpoint(n, where, rejected);
                String other = identities.putIfAbsent(e.identity(), key);
                if (other != null)
                    throw new IllegalArgumentException("duplicate endpoint " + Tokens.show(e.identity()) + " (also key " + Tokens.show(other) + ")");
                endpoints.add(e);
            } catch (IllegalArgumentException ex) {
                rejected.add(where + ": " + ex.getMessage());
            }
        });
        return new Parsed(endpoints, rejected);
    }
}
