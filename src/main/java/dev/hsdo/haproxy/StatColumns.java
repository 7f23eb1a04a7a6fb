package dev.hsdo.haproxy;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of one {@code show stat} line by name, read-only: the values of the line over the column
 * index of the dump's header, which all lines of one dump share. A dump of 10 000 servers has ~100 columns
 * per line; a map of its own per line cost ~50 MB of garbage on every reconcile tick.
 */
final class StatColumns extends AbstractMap<String, String> {
    private final Map<String, Integer> index;
    private final List<String> values;

    /** @param index column name to position, shared by the lines of one dump; every position is within {@code values} */
    StatColumns(Map<String, Integer> index, List<String> values) {
        this.index = index;
        this.values = values;
    }

    /** The column index of header {@code names}, without the empty name a trailing comma leaves. */
    static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) if (!names.get(c).isEmpty()) index.put(names.get(c), c);
        return index;
    }

    @Override
    public String get(Object name) {
        Integer c = index.get(name);
        return c == null ? null : values.get(c);
    }

    @Override
    public boolean containsKey(Object name) {
        return index.containsKey(name);
    }

    @Override
    public int size() {
        return index.size();
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Map<String, String> all = new LinkedHashMap<>();
        index.forEach((name, c) -> all.put(name, values.get(c)));
        return Set.copyOf(all.entrySet());
    }
}
