package dev.hsdo.haproxy;

import java.util.List;

/**
 * HAProxy's Runtime API (the stats socket at admin level). Implementations keep one connection in
 * prompt mode and pipeline commands over it.
 */
public interface RuntimeApi extends AutoCloseable {
    /**
     * Sends every command over one connection, all at once, and returns one reply per command, in order.
     * A command HAProxy refused has an error reply; the others still run.
     *
     * @throws RuntimeApiException when the connection fails or times out (then the results are unknown)
     */
    List<Reply> execute(List<String> commands) throws RuntimeApiException;

    /** Sends one command; a refused command is an exception naming the command and HAProxy's answer. */
    default String call(String command) throws RuntimeApiException {
        Reply r = execute(List.of(command)).getFirst();
        if (!r.ok()) throw new RuntimeApiException(r.command() + ": " + r.error());
        return r.output();
    }

    /** Closes the connection; the next call opens a new one. */
    @Override
    void close();
}
