package dev.hsdo.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewrites {@link ConfigLoader}'s error lines about a configuration tree built from environment variables so
 * that they name the variable a key came from: {@code origin: backends[0].slots: msg} → {@code VAR: msg}.
 * Operators set variables, not keys, so that is the name they can act on.
 *
 * @param origin       the origin the tree was parsed under
 * @param keyVariables key path → variable; a path also covers its children ({@code key.x}, {@code key[0]})
 */
record EnvBlame(String origin, Map<String, String> keyVariables) {
    EnvBlame {
        keyVariables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyVariables));
    }

    /** The line with its key path, and key paths quoted in its message, replaced by variables. */
    String blame(String line) {
        String out = line;
        String prefix = origin + ": ";
        if (line.startsWith(prefix)) {
            String rest = line.substring(prefix.length());
            int colon = rest.indexOf(": ");
            String path = colon < 0 ? rest : rest.substring(0, colon);
            String var = variable(path);
            if (var != null) out = var + rest.substring(path.length());
        }
        for (Map.Entry<String, String> e : keyVariables.entrySet()) out = out.replace(e.getKey(), e.getValue());
        return out;
    }

    private String variable(String path) {
        for (Map.Entry<String, String> e : keyVariables.entrySet()) {
            String key = e.getKey();
            if (path.equals(key) || path.startsWith(key + "[") || path.startsWith(key + ".")) return e.getValue();
        }
        return null;
    }
}
