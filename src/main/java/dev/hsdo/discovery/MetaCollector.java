package dev.hsdo.discovery;

import dev.hsdo.model.MetaOptions;
import dev.hsdo.model.Tokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the tags and metadata of one discovered instance into an endpoint's {@code meta}, skipping (and
 * reporting) each entry that is not safe to carry or is an invalid {@link MetaOptions option}, so that one
 * bad tag costs that tag, not the instance.
 * Later entries override earlier ones with the same key. Pure.
 */
public final class MetaCollector {
    private final String where;
    private final List<String> rejected;
    private final Map<String, String> meta = new LinkedHashMap<>();

    /**
     * @param where    names the instance in messages, e.g. {@code consul service 'web' node 'n1'}
     * @param rejected receives one "where: problem" message per skipped entry
     */
    public MetaCollector(String where, List<String> rejected) {
        this.where = where;
        this.rejected = rejected;
    }

    /** Adds {@code key: value}, or reports why it cannot be carried. */
    public MetaCollector put(String key, String value) {
        if (!Tokens.isMetaKey(key)) {
            rejected.add(where + ": meta key " + Tokens.show(key) + " skipped (letters, digits, '-', '_', '.', '/')");
        } else if (!Tokens.isMetaValue(value)) {
            rejected.add(where + ": meta[" + key + "]: invalid value " + Tokens.show(value)
                    + " skipped (printable, no space, ';', '#', quotes)");
        } else if (MetaOptions.problem(key, value) != null) {
            rejected.add(where + ": " + MetaOptions.problem(key, value) + " skipped");
        } else {
            meta.put(key, value);
        }
        return this;
    }

    /** Adds every entry of {@code entries}, in order. */
    public MetaCollector putAll(Map<String, String> entries) {
        entries.forEach(this::put);
        return this;
    }

    /** Adds a tag: {@code key=value} sets key to value, a bare {@code key} sets it to the empty string. */
    public MetaCollector tag(String tag) {
        int eq = tag.indexOf('=');
        return eq < 0 ? put(tag, "") : put(tag.substring(0, eq), tag.substring(eq + 1));
    }

    /** What was gathered, in the order added. */
    public Map<String, String> meta() {
        return Map.copyOf(meta);
    }
}
