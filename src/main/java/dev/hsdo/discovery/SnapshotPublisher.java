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
 * The part every {@link Source} shares: keeps the latest snapshot, tells the listener only when endpoints,
 * error or rejections changed, and logs each new error and each new rejection once (not again on every
 * read that repeats it). Not thread-safe: the owning source calls it from one thread at a time.
 */
public final class SnapshotPublisher {
    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final String source;
    private final String subject;
    private Consumer<SourceSnapshot> listener;
    private volatile SourceSnapshot current;
    private String loggedError;
    private Set<String> loggedRejections = Set.of();

    /**
     * A publisher whose snapshot, until the first read, has no endpoints and the error "SUBJECT: not read yet".
     *
     * @param source  the source's configured name
     * @param subject what the source reads (a path, a DNS name), for log lines
     */
    public SnapshotPublisher(String source, String subject) {
        this(source, subject, SourceSnapshot.neverRead(source, subject + ": not read yet"));
    }

    /**
     * @param source  the source's configured name
     * @param subject what the source reads (a path, a DNS name), for log lines
     * @param initial the snapshot before the first read
     */
    private SnapshotPublisher(String source, String subject, SourceSnapshot initial) {
        this.source = Objects.requireNonNull(source, "source");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** Sets who hears of new snapshots; before this, snapshots are only kept. */
    public void listener(Consumer<SourceSnapshot> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The latest snapshot; safe to call from any thread. */
    public SourceSnapshot current() {
        return current;
    }

    /** Reports {@code error}, keeping the last good endpoints. */
    public void fail(String error, boolean always) {
        publish(current.failed(error), always);
    }

    /**
     * Keeps {@code next} and tells the listener if it says something new, or {@code always}. Kept even when
     * unchanged, so that {@link SourceSnapshot#readAt()} moves on with every good read.
     */
    public void publish(SourceSnapshot next, boolean always) {
        SourceSnapshot previous = current;
        boolean changed = always || previous.state() != next.state() || !previous.endpoints().equals(next.endpoints())
                || !Objects.equals(previous.error(), next.error()) || !previous.rejected().equals(next.rejected());
        current = next;
        logOnce(next);
        if (!changed || listener == null) return;
        try {
            listener.accept(next);
        } catch (RuntimeException e) {
            log.error("source {}: listener failed on a snapshot of {}", source, subject, e);
        }
    }

    private void logOnce(SourceSnapshot s) {
        if (s.error() != null && !s.error().equals(loggedError)) {
            log.warn("source {}: {} (keeping {} last good endpoints)", source, s.error(), s.endpoints().size());
        } else if (s.error() == null && loggedError != null) {
            log.info("source {}: {} read again, {} endpoints", source, subject, s.endpoints().size());
        }
        loggedError = s.error();
        if (s.error() != null) return;
        for (String r : s.rejected()) if (!loggedRejections.contains(r)) log.warn("source {}: skipped {}", source, r);
        loggedRejections = new HashSet<>(s.rejected());
    }
}
