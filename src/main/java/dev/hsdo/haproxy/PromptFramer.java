package dev.hsdo.haproxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the byte stream of a Runtime API connection in prompt mode into replies.
 *
 * <p>Measured on HAProxy 2.6: after each command HAProxy writes the command's output, then the prompt
 * {@code "\n> "}. Outputs usually end with their own newline ({@code "New server registered.\n\n> "}), some
 * do not ({@code "Server deleted.\n> "}), and an empty output is the bare prompt ({@code "\n> "}). So a reply
 * is everything up to the next {@code "\n> "}. An output containing a line that starts with {@code "> "} would
 * be split in two; no command hsdo sends can produce one (map and state dumps start each line with an
 * address or a number). Not thread-safe: one connection's reader owns it.
 */
final class PromptFramer {
    private static final byte[] PROMPT = {'\n', '>', ' '};

    private byte[] buf = new byte[16 * 1024];
    private int start;   // first byte of the reply being assembled
    private int end;     // one past the last byte received
    private int scanned; // where to resume looking for the prompt
    private final List<String> replies = new ArrayList<>();

    /** Appends the readable bytes of {@code data} and splits off every reply they complete. */
    void feed(ByteBuffer data) {
        ensureRoom(data.remaining());
        int n = data.remaining();
        data.get(buf, end, n);
        end += n;
        split();
    }

    /** Complete replies so far, oldest first. */
    List<String> replies() {
        return replies;
    }

    /** Bytes received after the last complete reply. */
    int pendingBytes() {
        return end - start;
    }

    /** At most {@code max} bytes received after the last complete reply, for error messages. */
    String pendingText(int max) {
        return new String(buf, start, Math.min(max, end - start), StandardCharsets.UTF_8);
    }

    private void split() {
        int i = Math.max(scanned, start);
        while (i + PROMPT.length <= end) {
            if (buf[i] == PROMPT[0] && buf[i + 1] == PROMPT[1] && buf[i + 2] == PROMPT[2]) {
                replies.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                start = i + PROMPT.length;
                i = start;
            } else {
                i++;
            }
        }
        scanned = i;
    }

    private void ensureRoom(int more) {
        if (end + more <= buf.length) return;
        // Drop consumed bytes first; grow only when one reply really is that large (e.g. show stat).
        int live = end - start;
        byte[] target = live + more <= buf.length ? buf : new byte[Math.max(buf.length * 2, live + more)];
        System.arraycopy(buf, start, target, 0, live);
        buf = target;
        scanned -= start;
        end = live;
        start = 0;
    }
}
