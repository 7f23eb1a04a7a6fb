package dev.hsdo.discovery.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.config.StructuredText;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant file formats. CSV: one {@code tenant,shard} line each ({@code #} comments and blank lines
 * skipped). YAML/JSON: a mapping {@code tenants: {tenant: shard, ...}}. Pure.
 */
public final class TenantFile {
    private TenantFile() {}

    /** Whether {@code fileName} is read as CSV (by its {@code .csv} ending) rather than YAML. */
    public static boolean isCsv(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }

    /**
     * The entries of CSV text; a line without a comma is an error naming its number. Values are taken as they
     * are (only the line's outer white space is trimmed), so that unsafe ids reach the checks and get reported.
     */
    public static Map<String, String> parseCsv(String text, String origin) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
            int comma = line.lastIndexOf(',');
            if (comma < 0) throw new IllegalArgumentException(origin + ": line " + (i + 1) + ": expected 'tenant,shard', got "
                    + dev.hsdo.model.Tokens.show(line));
            String tenant = line.substring(0, comma).strip();
            out.remove(tenant);
            out.put(tenant, line.substring(comma + 1).strip());
        }
        return out;
    }

    /** The entries of YAML or JSON text ({@code tenants:} mapping of tenant to shard). */
    public static Map<String, String> parseYaml(String text, String origin) {
        JsonNode root;
        try {
            root = StructuredText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root.isMissingNode() || root.isNull()) return out;
        JsonNode t = root.get("tenants");
        if (!root.isObject() || (t != null && !t.isNull() && !t.isObject()))
            throw new IllegalArgumentException(origin + ": expected 'tenants:' with a mapping of tenant to shard");
        if (t == null || t.isNull()) return out;
        for (var it = t.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode())
                throw new IllegalArgumentException(origin + ": tenants." + e.getKey() + ": expected a shard name");
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** {@code entries} with {@code changes} applied (a null shard deletes); with {@code replace} only the changes. */
    public static Map<String, String> merged(Map<String, String> entries, Map<String, String> changes, boolean replace) {
        Map<String, String> next = new LinkedHashMap<>(replace ? Map.of() : entries);
        changes.forEach((t, s) -> {
            next.remove(t);
            if (s != null) next.put(t, s);
        });
        return next;
    }

    /** {@code entries} as CSV text. */
    public static String csv(Map<String, String> entries) {
        StringBuilder b = new StringBuilder(entries.size() * 24);
        entries.forEach((t, s) -> b.append(t).append(',').append(s).append('\n'));
        return b.toString();
    }

    /** {@code entries} as YAML text under {@code tenants:} (quoted where YAML needs it, rejected entries kept as they are). */
    public static String yaml(Map<String, String> entries) {
        try {
            return YAML.writeValueAsString(Map.of("tenants", entries));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the tenant table as YAML", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
}
