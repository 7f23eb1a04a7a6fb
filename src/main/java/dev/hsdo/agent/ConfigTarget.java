package dev.hsdo.agent;

/**
 * Where the agent puts the rendered HAProxy configuration: the file a restart or reload starts from, and
 * the reload itself for changes the Runtime API cannot make.
 */
public interface ConfigTarget {
    /**
     * Checks {@code config} with {@code haproxy -c} and, only if valid, replaces the config file atomically.
     *
     * @throws IllegalStateException with HAProxy's message when the config is invalid; the old file stays
     */
    void writeChecked(String config) throws java.io.IOException;

    /**
     * Replaces the config file atomically without {@code haproxy -c}. The agent uses it when the text differs
     * from the last checked one in server lines only: those are the arguments HAProxy validates anyway when
     * the same servers are added at runtime, and a check costs a process start on the path of every change.
     * The default checks.
     */
    default void write(String config) throws java.io.IOException {
        writeChecked(config);
    }

    /** Reloads HAProxy hitlessly so that it runs the config last written. */
    void reload() throws java.io.IOException;
}
