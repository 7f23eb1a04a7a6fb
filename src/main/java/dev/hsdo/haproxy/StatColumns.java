package dev.hsdo.haproxy;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of one {@code show stat} line by name, read-only: the values of the line over the column
 * index of the dump's header, which all lines of one dump share. A dump of 10 000 servers has ~100 columns
 * per line, of which a reconcile tick reads a few: a map per line cost ~50 MB of garbage per tick, a string
 * per field still ~40 MB, so a line without quotes keeps only where its fields end and cuts a value out
 * when it is asked for.
 */
final class StatColumns extends AbstractMap<String, String> {
    private final Map<String, Integer> index;
    private final List<String> values; // null when cut from line on demand
    private final String line;
    private final int[] ends;           // ends[c]: index in line of the comma after field c (or the line's end)

    private StatColumns(Map<String, Integer> index, List<String> values, String line, int[] ends) {
        this.index = index;
        this.values = values;
        this.line = line;
        this.ends = ends;
    }

    /** @param index column name to position, shared by the lines of one dump; every position is within {@code values} */
    static StatColumns of(Map<String, Integer> index, List<String> values) {
        return new StatColumns(index, values, null, null);
    }

    /**
     * A line without quotes, cut at its commas on demand; null when it has fewer than {@code needed} fields.
     */
    static StatColumns unquoted(Map<String, Integer> index, String line, int needed) {
        int[] ends = new int[needed];
        int from = 0;
        for (int c = 0; c < needed; c++) {
            int comma = line.indexOf(',', from);
            if (comma < 0) {
                if (c != needed - 1) return null;
                comma = line.length();
            }
            ends[c] = comma;
            from = comma + 1;
        }
        return new StatColumns(index, null, line, ends);
    }

    private String value(int c) {
        if (values != null) return values.get(c);
        return line.substring(c == 0 ? 0 : ends[c - 1] + 1, ends[c]);
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
        return c == null ? null : value(c);
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
        index.forEach((name, c) -> all.put(name, value(c)));
        return Set.copyOf(all.entrySet());
    }
}
