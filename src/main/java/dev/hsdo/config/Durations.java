package dev.hsdo.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration syntax of {@code hsdo.yaml}: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, or bare milliseconds. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)?");

    private Durations() {}

    /**
     * The duration {@code text} denotes.
     *
     * @throws IllegalArgumentException if {@code text} is not a non-negative duration in that syntax
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("-")) throw new IllegalArgumentException("must not be negative");
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) throw new IllegalArgumentException("expected e.g. 500ms, 2s, 1m, 1h or milliseconds");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** {@code d} in the shortest exact form of the same syntax, e.g. {@code 2s}, {@code 500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms != 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms != 0 && ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
