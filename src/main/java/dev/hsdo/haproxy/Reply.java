package dev.hsdo.haproxy;

/**
 * HAProxy's answer to one command.
 *
 * @param command the command as sent
 * @param output  the raw answer without the prompt
 * @param error   HAProxy's error message when the command was refused, or null
 */
public record Reply(String command, String output, String error) {
    /** Whether HAProxy accepted the command. */
    public boolean ok() {
        return error == null;
    }
}
