package dev.hsdo.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code show stat}: CSV with a {@code # pxname,svname,...} header line, one line per frontend, backend
 * and server. Columns are found by name. Fields holding a comma or a quote come quoted, CSV style. Pure.
 */
public final class StatCsvParser {
    private static final String DUMP = "show stat";
    private static final List<String> REQUIRED = List.of("pxname", "svname", "status", "qcur", "scur", "smax", "slim", "stot", "weight");

    private StatCsvParser() {}

    /**
     * Parses the whole output.
     *
     * @throws MalformedOutputException naming the line that cannot be read
     */
    public static List<StatRow> parse(String output) {
        List<String> lines = Lines.of(output);
        if (lines.isEmpty() || !lines.getFirst().startsWith("# ")) {
            throw new MalformedOutputException(DUMP, 1, lines.isEmpty() ? output : lines.getFirst(), "expected the '# pxname,svname,...' header");
        }
        List<String> names = split(lines.getFirst().substring(2), 1, lines.getFirst());
        for (String name : REQUIRED) {
            if (!names.contains(name)) throw new MalformedOutputException(DUMP, 1, lines.getFirst(), "column '" + name + "' is missing");
        }
        Map<String, Integer> index = StatColumns.index(names);
        int needed = index.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<StatRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            rows.add(row(index, needed, names.size(), i + 1, line));
        }
        return List.copyOf(rows);
    }

    private static StatRow row(Map<String, Integer> index, int needed, int columns, int number, String line) {
        Map<String, String> fields = line.indexOf('"') < 0 ? StatColumns.unquoted(index, line, needed) : null;
        if (fields == null) {
            List<String> values = split(line, number, line);
            if (values.size() < needed) {
                throw new MalformedOutputException(DUMP, number, line, "expected " + columns + " fields, found " + values.size());
            }
            fields = StatColumns.of(index, values);
        }
        return new StatRow(fields.get("pxname"), fields.get("svname"), fields.get("status"),
                number(fields, "scur", number, line), number(fields, "smax", number, line), number(fields, "slim", number, line),
                Math.toIntExact(number(fields, "weight", number, line)), number(fields, "qcur", number, line),
                number(fields, "stot", number, line), fields);
    }

    private static long number(Map<String, String> fields, String name, int number, String line) {
        String v = fields.get(name);
        if (v.isEmpty()) return 0;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new MalformedOutputException(DUMP, number, line, name + " '" + v + "' is not a number");
        }
    }

    /** Splits one CSV line; a quoted field may hold commas and doubled quotes. */
    static List<String> split(String line, int number, String original) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) throw new MalformedOutputException(DUMP, number, original, "unterminated quoted field");
        out.add(field.toString());
        return out;
    }
}
