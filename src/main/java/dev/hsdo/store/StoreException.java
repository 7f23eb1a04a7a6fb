package dev.hsdo.store;

/** A store could not be read or written. */
public class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /**
     * The store refused a publish because the writer no longer holds the leader lease it fenced the write
     * with ({@link Fence}): it was deposed, or its lease expired. Not a conflict to retry: the writer steps down.
     */
    public static final class Fenced extends StoreException {
        public Fenced(String message) {
            super(message);
        }
    }

    /** The stored generation was not the one the writer expected. */
    public static final class Conflict extends StoreException {
        public Conflict(String message) {
            super(message);
        }
    }
}
