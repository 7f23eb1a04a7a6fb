package dev.hsdo.discovery;

import dev.hsdo.model.SourceSnapshot;

import java.util.function.Consumer;

/**
 * Where endpoints come from. A source reports a whole snapshot each time what it knows changes. When a
 * read fails it reports its last good endpoints with the error set, never an empty list.
 */
public interface Source extends AutoCloseable {
    /** The configured name that backends refer to. */
    String name();

    /**
     * Starts watching. The listener receives the first snapshot before this method returns (so start-up
     * sees the endpoints at once), and then one snapshot per change or failure, on the source's own thread.
     */
    void start(Consumer<SourceSnapshot> listener);

    /** The latest snapshot. */
    SourceSnapshot current();

    /** Stops watching and releases threads and handles. */
    @Override
    void close();
}
