package dev.hsdo.haproxy;

import dev.hsdo.model.Tokens;

/** HAProxy answered with text a parser cannot read; names the dump, the line and the text. */
public class MalformedOutputException extends RuntimeException {
    private final int line;

    public MalformedOutputException(String dump, int line, String text, String problem) {
        super(dump + ", line " + line + ": " + problem + ": " + Tokens.show(text.length() > 200 ? text.substring(0, 200) + "…" : text));
        this.line = line;
    }

    /** The 1-based line number in the output. */
    public int line() {
        return line;
    }
}
