package dev.hsdo.haproxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code show servers state [backend]}: a format version line ({@code 1}), a header line naming the
 * columns ({@code # be_id be_name srv_id ...}), then one space-separated line per server. Columns are found
 * by name, so added or reordered columns in other HAProxy versions do no harm. Pure.
 */
public final class ServersStateParser {
    private static final String DUMP = "show servers state";
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final List<String> REQUIRED = List.of("be_id", "be_name", "srv_id", "srv_name", "srv_addr",
            "srv_op_state", "srv_admin_state", "srv_uweight", "srv_iweight", "srv_check_state", "srv_f_forced_id",
            "srv_fqdn", "srv_port");

    private ServersStateParser() {}

    /**
     * Parses the whole output; a backend without servers gives an empty list.
     *
     * @throws MalformedOutputException naming the line that cannot be read
     */
    public static List<ServerStateRow> parse(String output) {
        List<String> lines = Lines.of(output);
        if (lines.isEmpty()) throw new MalformedOutputException(DUMP, 1, output, "empty output, expected the format version line");
        if (!lines.getFirst().strip().equals("1")) {
            throw new MalformedOutputException(DUMP, 1, lines.getFirst(), "unsupported format version (only 1 is known)");
        }
        if (lines.size() < 2 || !lines.get(1).startsWith("#")) {
            throw new MalformedOutputException(DUMP, 2, lines.size() < 2 ? "" : lines.get(1), "expected the '# be_id be_name ...' header");
        }
        Map<String, Integer> column = columns(lines.get(1));
        int width = column.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        List<ServerStateRow> rows = new ArrayList<>();
        for (int i = 2; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = SPACES.split(line.strip());
            if (f.length < width) throw new MalformedOutputException(DUMP, i + 1, line, "expected " + width + " fields, found " + f.length);
            Row r = new Row(f, column, i + 1, line);
            rows.add(new ServerStateRow(r.integer("be_id"), r.text("be_name"), r.integer("srv_id"), r.text("srv_name"),
                    r.optional("srv_addr"), r.integer("srv_port"), r.integer("srv_op_state"), r.integer("srv_admin_state"),
                    r.integer("srv_uweight"), r.integer("srv_iweight"), r.integer("srv_check_state"),
                    r.integer("srv_f_forced_id") != 0, r.optional("srv_fqdn"),
                    column.containsKey("srv_use_ssl") ? r.integer("srv_use_ssl") != 0 : null));
        }
        return List.copyOf(rows);
    }

    private static Map<String, Integer> columns(String header) {
        String[] names = SPACES.split(header.substring(1).strip());
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < names.length; i++) column.putIfAbsent(names[i], i);
        for (String name : REQUIRED) {
            if (!column.containsKey(name)) throw new MalformedOutputException(DUMP, 2, header, "column '" + name + "' is missing");
        }
        return column;
    }

    /** One data line with its position, so every bad value is reported with its line. */
    private record Row(String[] fields, Map<String, Integer> column, int number, String line) {
        String text(String name) {
            return fields[column.get(name)];
        }

        String optional(String name) {
            String v = text(name);
            return v.equals("-") ? null : v;
        }

        int integer(String name) {
            String v = text(name);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new MalformedOutputException(DUMP, number, line, name + " '" + v + "' is not a number");
            }
        }
    }
}
