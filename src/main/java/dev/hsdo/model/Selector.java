package dev.hsdo.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which endpoints a backend takes, by their metadata: terms separated by commas, all of which must hold.
 * {@code key=value} wants that value, {@code key} wants the key present (a bare tag), {@code !key} wants it
 * absent. E.g. {@code pow=true} or {@code pow,!draining}. Pure.
 *
 * @param terms the terms, in the order written
 */
public record Selector(List<Term> terms) {
    public Selector {
        terms = List.copyOf(terms);
        if (terms.isEmpty()) throw new IllegalArgumentException("a selector needs at least one term");
    }

    /**
     * One condition on one key.
     *
     * @param key   the metadata key
     * @param value the wanted value, or null to test presence
     * @param absent true for {@code !key}
     */
    public record Term(String key, String value, boolean absent) {
        public Term {
            Tokens.require(Tokens.isMetaKey(key), "selector key", key, "letters, digits, '-', '_', '.', '/'");
            if (value != null) Tokens.require(Tokens.isMetaValue(value), "selector value", value, "printable, no space, ';', '#', quotes");
            if (absent && value != null) throw new IllegalArgumentException("selector: '!" + key + "' takes no value");
        }

        boolean matches(Map<String, String> meta) {
            if (absent) return !meta.containsKey(key);
            if (value == null) return meta.containsKey(key);
            return value.equals(meta.get(key));
        }

        @Override
        public String toString() {
            return absent ? "!" + key : value == null ? key : key + "=" + value;
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the bad term
     */
    public static Selector parse(String text) {
        List<Term> terms = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String t = raw.strip();
            if (t.isEmpty()) throw new IllegalArgumentException("empty term in " + Tokens.show(text) + " (terms: key=value, key or !key, joined by commas)");
            int eq = t.indexOf('=');
            if (t.startsWith("!")) terms.add(new Term(t.substring(1), null, true));
            else if (eq < 0) terms.add(new Term(t, null, false));
            else terms.add(new Term(t.substring(0, eq), t.substring(eq + 1), false));
        }
        return new Selector(terms);
    }

    /** Whether an endpoint with {@code meta} is selected. */
    public boolean matches(Map<String, String> meta) {
        for (Term t : terms) if (!t.matches(meta)) return false;
        return true;
    }

    @Override
    public String toString() {
        return terms.stream().map(Term::toString).collect(Collectors.joining(","));
    }
}
