package dev.hsdo.discovery;

import dev.hsdo.model.SourceSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hands a source's snapshots to its listener: only when endpoints, error or rejections changed, one at a
 * time and in order, and logs each new error and rejection once rather than on every read.
 */
public final class SnapshotPublisher {
    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final String source;
    private final String what;
    // All guarded by this, which also keeps listener calls one at a time.
    private Consumer<SourceSnapshot> listener;
    private SourceSnapshot current;
    private String loggedError;
    private Set<String> loggedRejections = Set.of();

    /**
     * @param source the source's name
     * @param what   what it reads, for log lines (a path, a URL)
     */
    public SnapshotPublisher(String source, String what) {
        this.source = Objects.requireNonNull(source, "source");
        this.what = Objects.requireNonNull(what, "what");
        this.current = new SourceSnapshot(source, List.of(), what + ": not read yet", List.of(), null);
    }

    /** Sets the listener; a source can be started once. */
    public synchronized void listen(Consumer<SourceSnapshot> l) {
        if (listener != null) throw new IllegalStateException("source " + source + " already started");
        listener = Objects.requireNonNull(l, "listener");
    }

    /** The latest snapshot. */
    public synchronized SourceSnapshot current() {
        return current;
    }

    /**
     * Makes {@code next} current and tells the listener if it differs from the previous one (or if
     * {@code always}, for the first snapshot).
     */
    public synchronized void publish(SourceSnapshot next, boolean always) {
        SourceSnapshot previous = current;
        boolean changed = always || !previous.endpoints().equals(next.endpoints())
                || !Objects.equals(previous.error(), next.error()) || !previous.rejected().equals(next.rejected());
        // Kept even when unchanged: readAt moves on with every good read.
        current = next;
        logOnce(next);
        if (!changed || listener == null) return;
        try {
            listener.accept(next);
        } catch (RuntimeException e) {
            log.error("source {}: listener failed on a snapshot of {}", source, what, e);
        }
    }

    /** Publishes the last good endpoints with {@code error} set. */
    public synchronized void fail(String error, boolean always) {
        publish(current.failed(error), always);
    }

    private void logOnce(SourceSnapshot s) {
        if (s.error() != null && !s.error().equals(loggedError)) {
            log.warn("source {}: {} (keeping {} last good endpoints)", source, s.error(), s.endpoints().size());
        } else if (s.error() == null && loggedError != null) {
            log.info("source {}: {} read again, {} endpoints", source, what, s.endpoints().size());
        }
        loggedError = s.error();
        if (s.error() != null) return;
        for (String r : s.rejected()) if (!loggedRejections.contains(r)) log.warn("source {}: skipped {}", source, r);
        loggedRejections = new HashSet<>(s.rejected());
    }
}
