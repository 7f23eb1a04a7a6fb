package dev.hsdo.haproxy;

import dev.hsdo.model.Tokens;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The last line of defence before a command goes over the Runtime API connection. HAProxy's CLI splits a
 * line at {@code ;} and at line breaks, switches to payload mode when a line ends with {@code <<}, and
 * drops the connection when a line exceeds its buffer: each would run text hsdo never meant as a
 * command, or shift every later reply of a pipelined batch onto the wrong command.
 */
public final class Commands {
    /** Longest command accepted; HAProxy 2.6 closes the connection at about 16 KB with the default tune.bufsize. */
    public static final int MAX_LENGTH = 8192;

    // Commands that change the session itself: framing (prompt), the connection (quit), the level for every
    // later batch (user, operator) or the shape of every reply (set severity-output).
    private static final Set<String> SESSION_COMMANDS = Set.of("prompt", "quit", "user", "operator", "set severity-output");

    private static final Pattern BLANKS = Pattern.compile(" +");
    /** Longest payload command ({@link #payload}): HAProxy's CLI buffer is ~16 KB with the default tune.bufsize. */
    public static final int MAX_PAYLOAD_LENGTH = 14_000;
    // The one command hsdo sends with a payload: entries into a prepared map version.
    private static final Pattern PAYLOAD_HEAD = Pattern.compile("add map @\\d+ [A-Za-z0-9_./:-]{1,256} <<");
    // A payload line is one "key value" pair of safe words: no blank line (it would end the payload early).
    private static final Pattern PAYLOAD_LINE = Pattern.compile("[!$-&(-:<-\\[\\]-~]{1,256} [!$-&(-:<-\\[\\]-~]{1,256}");

    private Commands() {}

    /**
     * Returns {@code command} when it is one safe Runtime API command.
     *
     * @throws IllegalArgumentException naming the command and the reason it is refused
     */
    public static String requireSafe(String command) {
        if (command == null) throw new IllegalArgumentException("Runtime API command is null");
        String why = problem(command);
        if (why != null) throw new IllegalArgumentException("Runtime API command " + Tokens.show(command) + " refused: " + why);
        return command;
    }

    /**
     * An {@code add map @<version> <map> <<} command carrying {@code lines} ({@code key value} each) as its
     * payload, in the form {@link #requireSafe} accepts and the Runtime API client sends: the head, each line,
     * then the empty line that ends the payload.
     *
     * @throws IllegalArgumentException when a line is not a safe {@code key value} pair or the whole is too long
     */
    public static String payload(String head, List<String> lines) {
        StringBuilder b = new StringBuilder(head).append('\n');
        for (String l : lines) b.append(l).append('\n');
        return requireSafe(b.toString());
    }

    private static String problem(String command) {
        int nl = command.indexOf('\n');
        if (nl > 0 && PAYLOAD_HEAD.matcher(command.substring(0, nl)).matches()) return payloadProblem(command, nl);
        if (command.isBlank()) return "it is empty (HAProxy would answer with its help text)";
        if (command.length() > MAX_LENGTH) return "longer than " + MAX_LENGTH + " characters";
        if (command.indexOf(';') >= 0) return "';' would chain a second command";
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\n' || c == '\r') return "a line break would start a second command";
            if (Character.isISOControl(c)) return "it contains the control character \\x" + Integer.toHexString(c);
        }
        String trimmed = command.strip();
        if (trimmed.endsWith("<<")) return "a trailing '<<' would read the following commands as payload";
        // HAProxy skips repeated blanks between words, so compare words, not prefixes.
        String[] words = BLANKS.split(trimmed.toLowerCase(Locale.ROOT), 3);
        String verb = words.length > 1 && words[0].equals("set") ? "set " + words[1] : words[0];
        if (SESSION_COMMANDS.contains(verb)) return "'" + verb + "' changes the session that later commands share";
        return null;
    }

    // The client appends one more line break, which is the empty line that ends the payload.
    private static String payloadProblem(String command, int headEnd) {
        if (command.length() > MAX_PAYLOAD_LENGTH) return "payload longer than " + MAX_PAYLOAD_LENGTH + " characters";
        if (!command.endsWith("\n")) return "the payload must end with a line break";
        String body = command.substring(headEnd + 1, command.length() - 1);
        if (body.isEmpty()) return "the payload is empty";
        for (String line : body.split("\n", -1))
            if (!PAYLOAD_LINE.matcher(line).matches()) return "payload line " + Tokens.show(line) + " is not one 'key value' pair of safe words";
        return null;
    }
}
