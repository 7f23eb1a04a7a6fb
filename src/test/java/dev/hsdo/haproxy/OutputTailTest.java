package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HAProxy's output file, followed line by line (driven by drain(), no timing). */
class OutputTailTest {
    @TempDir
    Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void completeLinesArePassedOnOnceAndAnUnfinishedLineWaitsForItsEnd() throws Exception {
        Path file = dir.resolve("haproxy.out");
        append(file, "old line from an earlier run\n");
        List<String> seen = new ArrayList<>();
        OutputTail tail = new OutputTail(file, 1 << 20, seen::add);
        long start = tail.size();
        tail.follow(start);
        tail.close(); // no poll thread: the test drains by hand

        append(file, "[ALERT]    (1) : config : parsing [haproxy.cfg:3] : unknown keyword 'bogus'\n[WARNING] (1) : half");
        tail.drain();
        append(file, " a line\n\n");
        tail.drain();
        tail.drain();

        assertThat(seen).containsExactly("[ALERT]    (1) : config : parsing [haproxy.cfg:3] : unknown keyword 'bogus'",
                "[WARNING] (1) : half a line");
        assertThat(tail.since(start, 1000)).startsWith("[ALERT]").endsWith("half a line");
    }

    @Test
    void aFileBeyondTheLimitIsCutBackOnceReadAndAppendsCarryOnAtItsStart() throws Exception {
        Path file = dir.resolve("haproxy.out");
        List<String> seen = new ArrayList<>();
        OutputTail tail = new OutputTail(file, 100, seen::add);
        tail.follow(0);
        tail.close(); // no poll thread: the test drains by hand

        append(file, "x".repeat(150) + "\n");
        tail.drain();
        assertThat(Files.size(file)).isZero();
        append(file, "after the cut\n");
        tail.drain();

        assertThat(seen).containsExactly("x".repeat(150), "after the cut");
    }
}
