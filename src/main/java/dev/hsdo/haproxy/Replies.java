package dev.hsdo.haproxy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells a refused command from an accepted one. HAProxy's CLI has no status code, so this goes by the
 * text, as measured on HAProxy 2.6:
 * <ul>
 *   <li>{@code show}, {@code get} and {@code help} answer with data; the answer is an error only when it
 *       starts like one of HAProxy's error messages ({@code No such backend.}, {@code Unknown map identifier...}).
 *   <li>Every other command answers nothing on success, or one known confirmation ({@code New server registered.},
 *       {@code Server deleted.}, {@code New version created: 1}, {@code IP changed from ...}); any other text is
 *       HAProxy refusing it. Unknown success texts are thus reported as errors, never errors as success.
 * </ul>
 */
public final class Replies {
    private static final int MAX_ERROR_LENGTH = 300;
    private static final Pattern BLANKS = Pattern.compile(" +");
    private static final Pattern PAYLOAD_PROMPTS = Pattern.compile("^(\\+ ?)+");

    // How HAProxy 2.6 starts the errors of read-only commands (see RepliesTest for the captured texts).
    private static final Pattern DATA_ERROR = Pattern.compile(
            "(Unknown command|Unknown map identifier|Permission denied|No such |Can't find |Require |Missing "
                    + "|Session not found|Version number |usage: |'[^']+' expects ).*", Pattern.DOTALL);

    private static final List<SuccessText> SUCCESS = List.of(
            new SuccessText("add server ", "New server registered\\."),
            new SuccessText("del server ", "Server deleted\\."),
            new SuccessText("prepare map ", "New version created: \\d+"),
            new SuccessText("prepare acl ", "New version created: \\d+"),
            // set server <b>/<s> addr <ip> [port <p>]: a report of what changed; a bad port reads
            // "..., problem converting port 'x' to an int by ..." and must not pass.
            new SuccessText("set server \\S+ addr ",
                    "(?:IP changed from '[^']*' to '[^']*'|no need to change the addr)"
                            + "(?:, (?:(?:mapped )?port changed from '[^']*' to '[^']*'|no need to change the port))?"
                            + " by '[^']*'|nothing changed"));

    private Replies() {}

    /** Classifies HAProxy's {@code output} (without the prompt) for {@code command}. */
    public static Reply classify(String command, String output) {
        String text = output.strip();
        // In prompt mode HAProxy answers each payload line with a "+ " prompt before the command's own reply.
        if (command.contains("<<\n")) text = PAYLOAD_PROMPTS.matcher(text).replaceFirst("").strip();
        boolean refused = isReadOnly(command) ? DATA_ERROR.matcher(text).matches() : !text.isEmpty() && !isSuccessText(command, text);
        return new Reply(command, output, refused ? abbreviate(text.isEmpty() ? "(no answer)" : text) : null);
    }

    /** Whether {@code command} only reads ({@code show}, {@code get}, {@code help}), so that its output is data. */
    public static boolean isReadOnly(String command) {
        String verb = BLANKS.split(command.strip(), 2)[0].toLowerCase(Locale.ROOT);
        return verb.equals("show") || verb.equals("get") || verb.equals("help");
    }

    private static boolean isSuccessText(String command, String text) {
        String normalized = BLANKS.matcher(command.strip()).replaceAll(" ") + " ";
        for (SuccessText s : SUCCESS) {
            if (s.command().matcher(normalized).lookingAt() && s.output().matcher(text).matches()) return true;
        }
        return false;
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "…";
    }

    /** A confirmation HAProxy prints on success for commands starting with a given prefix. */
    private record SuccessText(Pattern command, Pattern output) {
        SuccessText(String commandPrefix, String outputRegex) {
            this(Pattern.compile(commandPrefix, Pattern.CASE_INSENSITIVE), Pattern.compile(outputRegex));
        }
    }
}
