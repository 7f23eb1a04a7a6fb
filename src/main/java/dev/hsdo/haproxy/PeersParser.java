package dev.hsdo.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the section lines of {@code show peers}:
 * {@code 0x55d3dfa8af50: [29/Nov/2026:20:35:24] id=hsdo disabled=0 flags=0x6811 resync_timeout=4s task_calls=8}.
 * The indented lines below a section (its peers and tables) are skipped. Pure.
 */
public final class PeersParser {
    private static final Pattern SECTION = Pattern.compile("0x[0-9a-fA-F]+: \\[[^]]*] (.*)");
    private static final Pattern ID = Pattern.compile("(?:^| )id=(\\S+)");
    private static final Pattern FLAGS = Pattern.compile(" flags=0x([0-9a-fA-F]{1,16})(?: |$)");

    private PeersParser() {}

    /**
     * Parses every section; no peers section gives an empty list.
     *
     * @throws MalformedOutputException naming a section line without {@code id=} or a hexadecimal {@code flags=}
     */
    public static List<PeersSection> parse(String output) {
        List<String> lines = Lines.of(output);
        List<PeersSection> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) continue;
            Matcher m = SECTION.matcher(line);
            if (!m.matches()) continue;
            Matcher id = ID.matcher(m.group(1));
            Matcher flags = FLAGS.matcher(m.group(1));
            if (!id.find()) throw new MalformedOutputException("show peers", i + 1, line, "a section without id=");
            if (!flags.find()) throw new MalformedOutputException("show peers", i + 1, line, "a section without flags=0x...");
            out.add(new PeersSection(id.group(1), Long.parseUnsignedLong(flags.group(1), 16)));
        }
        return List.copyOf(out);
    }
}
