package dev.hsdo.config;

import java.util.List;

/**
 * A configuration that cannot be used. Carries every problem found, one per line, each naming where the
 * bad value came from (the file and key path, or the environment variable) and the value itself.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one error");
        this.errors = List.copyOf(errors);
    }

    /** The problems, one message each, in the order they were found. */
    public List<String> errors() {
        return errors;
    }
}
