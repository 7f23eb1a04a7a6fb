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

    /** Reloads HAProxy hitlessly so that it runs the config last written. */
    void reload() throws java.io.IOException;
}
