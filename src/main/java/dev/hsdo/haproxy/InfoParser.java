package dev.hsdo.haproxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code show info}: one {@code Name: value} line per field ({@code Pid: 31801}, {@code Uptime_sec: 18}). Pure. */
public final class InfoParser {
    private static final String DUMP = "show info";

    private InfoParser() {}

    /**
     * Parses the output into field name → value, in HAProxy's order. Names may contain spaces
     * ({@code Unstoppable Jobs}); values may be empty.
     *
     * @throws MalformedOutputException naming a line without {@code ':'}, or when no field is found
     */
    public static Map<String, String> parse(String output) {
        List<String> lines = Lines.of(output);
        Map<String, String> info = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MalformedOutputException(DUMP, i + 1, line, "expected 'Name: value'");
            info.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        if (info.isEmpty()) throw new MalformedOutputException(DUMP, 1, output, "no fields");
        return Collections.unmodifiableMap(info);
    }
}
