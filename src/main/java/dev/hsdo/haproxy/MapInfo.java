package dev.hsdo.haproxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One loaded map as {@code show map} (without argument) lists it: cheap to read whatever the map's size.
 *
 * @param file       the file the map was loaded from
 * @param version    {@code curr_ver}: the committed version (0 until the first commit)
 * @param entryCount {@code entry_cnt}: entries of the committed version
 */
public record MapInfo(String file, long version, long entryCount) {
    private static final Pattern LINE = Pattern.compile("-?\\d+ \\(([^)]*)\\) .*curr_ver=(\\d+) .*entry_cnt=(\\d+).*");

    /** The maps of a {@code show map} listing by file; lines of other shapes (the header) are skipped. Pure. */
    public static Map<String, MapInfo> parse(String output) {
        Map<String, MapInfo> maps = new LinkedHashMap<>();
        for (String line : Lines.of(output)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) maps.putIfAbsent(m.group(1), new MapInfo(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        return maps;
    }
}
