package dev.hsdo.plan;

import java.util.List;
import java.util.Locale;

/** The mass-removal guard: a change that removes too much of a backend at once is held back. */
final class Guard {
    private Guard() {}

    /**
     * Why removing {@code removed} of {@code serving} servers is held back, or null when it may go on.
     */
    static String check(String backend, int serving, List<String> removed, double maxFraction) {
        if (serving == 0 || removed.isEmpty() || maxFraction >= 1.0) return null;
        double fraction = (double) removed.size() / serving;
        if (fraction <= maxFraction) return null;
        return String.format(Locale.ROOT,
                "would remove %d of %d serving servers (%.0f%% > %.0f%%): held back until the sources recover or"
                        + " an operator releases backend %s",
                removed.size(), serving, fraction * 100, maxFraction * 100, backend);
    }
}
