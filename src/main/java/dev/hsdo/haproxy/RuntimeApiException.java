package dev.hsdo.haproxy;

/** The Runtime API could not be reached, timed out, or refused a command given through {@code call}. */
public class RuntimeApiException extends Exception {
    public RuntimeApiException(String message) {
        super(message);
    }

    public RuntimeApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
