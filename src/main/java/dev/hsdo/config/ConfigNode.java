package dev.hsdo.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hsdo.model.Tokens;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of the configuration tree together with its key path. Every read goes through here so that
 * an environment override can replace the value and every problem is reported with the key path and the
 * place the value came from (the file, or the {@code HSDO_*} variable). Reads never throw: problems are
 * collected in the shared {@link Context} and the default is returned, so one pass finds every error.
 */
final class ConfigNode {
    /** What all nodes of one load share: where values come from, and the problems found so far. */
    static final class Context {
        final String origin;
        final Map<String, String> env;
        final Set<String> consumed = new HashSet<>();
        /** Every variable name some key could have been set by, for suggestions. */
        final Set<String> known = new LinkedHashSet<>();
        final List<String> errors = new ArrayList<>();

        Context(String origin, Map<String, String> env) {
            this.origin = origin;
            this.env = env;
        }
    }

    private final Context ctx;
    private final JsonNode json;
    private final String path;

    ConfigNode(Context ctx, JsonNode json, String path) {
        this.ctx = ctx;
        this.json = json;
        this.path = path;
    }

    /** The key path of this mapping, e.g. {@code backends[0].health-check}; empty at top level. */
    String path() {
        return path;
    }

    /** The key path of {@code key} inside this mapping. */
    String child(String key) {
        return path.isEmpty() ? key : key.startsWith("[") ? path + key : path + "." + key;
    }

    /** The environment variable that overrides {@code path}: {@code backends[0].hash-type} → {@code HSDO_BACKENDS_0_HASH_TYPE}. */
    static String envName(String path) {
        return "HSDO_" + path.replace("[", "_").replace("]", "").replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Where the value of {@code key} (or of this mapping, if null) came from, as an error message prefix. */
    String where(String key) {
        String p = key == null ? path : child(key);
        // A list set as a whole by one variable is blamed on that variable, even for one element.
        for (String prefix = p; !prefix.isEmpty(); prefix = parent(prefix)) {
            String var = envName(prefix);
            if (ctx.consumed.contains(var)) return var + " (" + p + ")";
        }
        return p.isEmpty() ? ctx.origin : ctx.origin + ": " + p;
    }

    /** Records a problem with the value of {@code key} (or with this mapping, if null). */
    void fail(String key, String message) {
        ctx.errors.add(where(key) + ": " + message);
    }

    /** Reports every key of this mapping that is not in {@code allowed}, suggesting the closest allowed key. */
    void checkKeys(String... allowed) {
        List<String> keys = Arrays.asList(allowed);
        for (String k : (Iterable<String>) json::fieldNames) {
            if (keys.contains(k)) continue;
            String close = closest(k, keys);
            String hint = close != null ? "did you mean '" + close + "'?" : "allowed: " + String.join(", ", keys);
            if (path.isEmpty()) ctx.errors.add(ctx.origin + ": unknown key " + Tokens.show(k) + " at top level (" + hint + ")");
            else fail(null, "unknown key " + Tokens.show(k) + " (" + hint + ")");
        }
    }

    /** The keys of this mapping, in the file's order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** How many problems were reported so far (to tell whether a section added any). */
    int errorCount() {
        return ctx.errors.size();
    }

    /** Whether {@code key} has a value, in the file or the environment. */
    boolean has(String key) {
        if (ctx.env.containsKey(envName(child(key)))) return true;
        JsonNode v = json.get(key);
        return v != null && !v.isNull();
    }

    /** The mapping under {@code key}; an empty one when absent, so defaults apply below it. */
    ConfigNode object(String key) {
        JsonNode v = json.get(key);
        if (v != null && !v.isNull() && !v.isObject()) {
            fail(key, "expected a mapping, got " + kind(v));
            v = null;
        }
        return new ConfigNode(ctx, v == null || v.isNull() ? JsonNodeFactory.instance.objectNode() : v, child(key));
    }

    /** The mappings listed under {@code key}; entries that are not mappings are reported and left out. */
    List<ConfigNode> list(String key) {
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) {
            fail(key, "expected a list, got " + kind(v));
            return List.of();
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String item = key + "[" + i + "]";
            if (v.get(i).isObject()) out.add(new ConfigNode(ctx, v.get(i), child(item)));
            else fail(item, "expected a mapping, got " + kind(v.get(i)));
        }
        return out;
    }

    /** A list of strings; from the environment as comma-separated values. */
    List<String> strings(String key, List<String> def) {
        String var = envName(child(key));
        ctx.known.add(var);
        if (ctx.env.containsKey(var)) {
            ctx.consumed.add(var);
            return Arrays.stream(ctx.env.get(var).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) return def;
        if (!v.isArray()) {
            fail(key, "expected a list, got " + kind(v));
            return def;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String item = key + "[" + i + "]";
            if (!e.isValueNode() || e.isNull()) fail(item, "expected a single value, got " + kind(e));
            else if (hasControl(e.asText())) fail(item, "invalid value " + Tokens.show(e.asText()) + " (control characters are not allowed)");
            else out.add(e.asText());
        }
        return out;
    }

    /** A string without control characters, or {@code def} when absent. */
    String string(String key, String def) {
        String s = scalar(key);
        if (s == null) return def;
        if (hasControl(s)) {
            fail(key, "invalid value " + Tokens.show(s) + " (control characters are not allowed)");
            return def;
        }
        return s;
    }

    /** Like {@link #string} but never repeats the value in an error, for tokens and passwords. */
    String secret(String key) {
        String s = scalar(key);
        if (s != null && (hasControl(s) || s.contains(" "))) {
            fail(key, "invalid value (spaces and control characters are not allowed; value not shown)");
            return null;
        }
        return s;
    }

    /** An integer in {@code min..max}, or {@code def} when absent. */
    int integer(String key, int def, int min, int max) {
        String s = scalar(key);
        if (s == null) return def;
        try {
            long n = Long.parseLong(s.strip());
            if (n >= min && n <= max) return (int) n;
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        fail(key, "invalid value " + Tokens.show(s) + " (expected an integer " + min + ".." + max + ")");
        return def;
    }

    /** A number {@code 0 < f <= 1}, or {@code def} when absent. */
    double fraction(String key, double def) {
        String s = scalar(key);
        if (s == null) return def;
        try {
            double f = Double.parseDouble(s.strip());
            if (f > 0 && f <= 1) return f;
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        fail(key, "invalid value " + Tokens.show(s) + " (expected a number greater than 0 and at most 1)");
        return def;
    }

    /** {@code true} or {@code false}, or {@code def} when absent. */
    boolean bool(String key, boolean def) {
        String s = scalar(key);
        if (s == null) return def;
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        fail(key, "invalid value " + Tokens.show(s) + " (expected true or false)");
        return def;
    }

    /** A duration ({@link Durations} syntax), or {@code def} when absent; zero only if {@code zeroAllowed}. */
    Duration duration(String key, Duration def, boolean zeroAllowed) {
        String s = scalar(key);
        if (s == null) return def;
        try {
            Duration d = Durations.parse(s);
            if (!d.isZero() || zeroAllowed) return d;
            fail(key, "invalid duration " + Tokens.show(s) + " (must be greater than 0)");
        } catch (IllegalArgumentException e) {
            fail(key, "invalid duration " + Tokens.show(s) + " (" + e.getMessage() + ")");
        }
        return def;
    }

    /** The closest of {@code candidates} to {@code word} if it is a likely typo of it, else null. */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(1, Math.min(3, word.length() / 3)) ? best : null;
    }

    /** The scalar text of {@code key}, from the environment first; null when absent or not a scalar. */
    private String scalar(String key) {
        String var = envName(child(key));
        ctx.known.add(var);
        if (ctx.env.containsKey(var)) {
            ctx.consumed.add(var);
            return ctx.env.get(var);
        }
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) {
            fail(key, "expected a single value, got " + kind(v));
            return null;
        }
        return v.asText();
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        return Tokens.show(v.asText());
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
