package dev.hsdo.haproxy;

import java.util.ArrayList;
import java.util.List;

/** Splits a CLI dump into lines, keeping empty ones inside (line numbers stay true) and dropping those at the end. */
final class Lines {
    private Lines() {}

    static List<String> of(String output) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        while (!lines.isEmpty() && lines.getLast().isBlank()) lines.removeLast();
        return lines;
    }
}
