package dev.hsdo.haproxy;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PromptFramerTest {
    // Byte-exact stream captured from HAProxy 2.6.12 for: set server be/s1 weight 11,
    // set server be/nosuch state ready, del server be/x, show backend.
    private static final String STREAM = "\n> No such server.\n\n> Server deleted.\n> # name\nbe\nbe2\n\n> ";

    @Test
    void splitsEmptyUnterminatedAndMultiLineReplies() {
        PromptFramer f = new PromptFramer();
        f.feed(bytes(STREAM));
        assertThat(f.replies()).containsExactly("", "No such server.\n", "Server deleted.", "# name\nbe\nbe2\n");
        assertThat(f.pendingBytes()).isZero();
    }

    @Test
    void promptSplitAcrossReadsIsStillFound() {
        byte[] all = STREAM.getBytes(StandardCharsets.UTF_8);
        PromptFramer f = new PromptFramer();
        for (byte b : all) f.feed(ByteBuffer.wrap(new byte[]{b}));
        assertThat(f.replies()).containsExactly("", "No such server.\n", "Server deleted.", "# name\nbe\nbe2\n");
    }

    @Test
    void incompleteReplyStaysPending() {
        PromptFramer f = new PromptFramer();
        f.feed(bytes("New server registered.\n\n> 1\n# be_id"));
        assertThat(f.replies()).containsExactly("New server registered.\n");
        assertThat(f.pendingBytes()).isEqualTo("1\n# be_id".length());
        assertThat(f.pendingText(4)).isEqualTo("1\n# ");
    }

    @Test
    void replyLargerThanTheBufferIsKeptWhole() {
        String big = "x,".repeat(100_000) + "\n";
        PromptFramer f = new PromptFramer();
        for (int i = 0; i < big.length(); i += 7000) f.feed(bytes(big.substring(i, Math.min(big.length(), i + 7000))));
        f.feed(bytes("\n> \n> "));
        assertThat(f.replies()).containsExactly(big, "");
    }

    @Test
    void manySmallRepliesInOneStream() {
        PromptFramer f = new PromptFramer();
        String stream = "\n> ".repeat(5000);
        f.feed(bytes(stream.substring(0, 7001)));
        f.feed(bytes(stream.substring(7001)));
        assertThat(f.replies()).hasSize(5000).allMatch(String::isEmpty);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
