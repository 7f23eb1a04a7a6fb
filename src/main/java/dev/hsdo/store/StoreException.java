package dev.hsdo.store;

/** A store could not be read or written. */
public class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /** The stored generation was not the one the writer expected. */
    public static final class Conflict extends StoreException {
        public Conflict(String message) {
            super(message);
        }
    }
}
