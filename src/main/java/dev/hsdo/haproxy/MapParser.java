package dev.hsdo.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code show map <map>}: one {@code <ref> <key> <value>} line per entry, in HAProxy's order. Pure. */
public final class MapParser {
    private static final String DUMP = "show map";
    private static final Pattern ENTRY = Pattern.compile("(0x[0-9a-fA-F]+) (\\S+) (.*)");
    private static final Pattern MAP_REF = Pattern.compile("(@\\d+ )?[A-Za-z0-9_./:#-]{1,256}");

    private MapParser() {}

    /**
     * Whether {@code map} names a map for {@code show map}: a file name or {@code #<id>}, optionally after
     * {@code @<version> } (a prepared version). Nothing that could split or extend the command.
     */
    public static boolean isMapRef(String map) {
        return map != null && MAP_REF.matcher(map).matches();
    }

    /**
     * Parses the entries; an empty map gives an empty list.
     *
     * @throws MalformedOutputException naming the line that is not {@code <ref> <key> <value>}
     */
    public static List<MapEntry> parse(String output) {
        List<String> lines = Lines.of(output);
        List<MapEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = ENTRY.matcher(lines.get(i));
            if (!m.matches()) throw new MalformedOutputException(DUMP, i + 1, lines.get(i), "expected '<ref> <key> <value>'");
            entries.add(new MapEntry(m.group(1), m.group(2), m.group(3)));
        }
        return List.copyOf(entries);
    }
}
