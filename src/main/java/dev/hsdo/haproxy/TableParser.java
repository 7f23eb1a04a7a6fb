package dev.hsdo.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code show table <name>}: a {@code # table: ...} header, then one line per entry,
 * {@code 0x55d3a59e7ff0: key=1 use=0 exp=0 [shard=0] server_id=202 server_key=n2}. Only {@code key},
 * {@code server_id} and {@code server_key} are kept; other data types, and fields a newer HAProxy adds, are
 * skipped. Pure.
 */
public final class TableParser {
    private static final String DUMP = "show table";
    private static final Pattern ENTRY = Pattern.compile("0x[0-9a-fA-F]+: (.*)");
    private static final Pattern FIELD = Pattern.compile("([A-Za-z_][A-Za-z0-9_().]*)=(\\S*)");

    private TableParser() {}

    /**
     * Parses the entries; an empty table gives an empty list.
     *
     * @throws MalformedOutputException naming a line that is neither the header nor an entry with a key, or
     *                                  a {@code server_id} that is not a number
     */
    public static List<StickEntry> parse(String output) {
        List<String> lines = Lines.of(output);
        List<StickEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("# table:")) continue;
            Matcher m = ENTRY.matcher(line);
            if (!m.matches()) throw new MalformedOutputException(DUMP, i + 1, line, "expected '0x<ref>: key=<key> ...'");
            String key = null;
            Integer serverId = null;
            String serverKey = null;
            Matcher f = FIELD.matcher(m.group(1));
            while (f.find()) {
                switch (f.group(1)) {
                    case "key" -> key = f.group(2);
                    case "server_id" -> {
                        try {
                            serverId = Integer.valueOf(f.group(2));
                        } catch (NumberFormatException e) {
                            throw new MalformedOutputException(DUMP, i + 1, line, "server_id is not a number");
                        }
                    }
                    case "server_key" -> serverKey = f.group(2).isEmpty() ? null : f.group(2);
                    default -> { }
                }
            }
            if (key == null) throw new MalformedOutputException(DUMP, i + 1, line, "no key=");
            entries.add(new StickEntry(key, serverId, serverKey));
        }
        return List.copyOf(entries);
    }
}
