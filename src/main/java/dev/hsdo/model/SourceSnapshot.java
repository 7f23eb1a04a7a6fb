package dev.hsdo.model;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one source last knew, in one of three {@link State states}: never read, healthy, or failing with its
 * last good endpoints. After a failure a source keeps publishing its last good endpoints with {@code error}
 * set, so a failing source never empties a backend; a source never read has no endpoints to offer, and the
 * planner leaves its backends as they were rather than read its empty list as "no servers".
 *
 * @param source    the source's configured name
 * @param endpoints the last good endpoints (none while never read)
 * @param error     the last error, or null when the last read succeeded
 * @param rejected  endpoints the source skipped because they failed validation, one message each
 * @param readAt    when the endpoints were last read successfully (for status only; never in a plan); null
 *                  while never read
 * @param state     which of the three states the source is in
 */
public record SourceSnapshot(String source, List<Endpoint> endpoints, String error, List<String> rejected, Instant readAt,
                             State state) {
    /** The three states of a source. */
    public enum State {
        /** No read has succeeded yet: the source knows nothing, not "no servers". */
        NEVER_READ,
        /** The last read succeeded. */
        HEALTHY,
        /** The last read failed; the endpoints are those of the last good read. */
        FAILING;

        /** The state as written in status documents: {@code never-read}, {@code healthy}, {@code failing}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public SourceSnapshot {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(state, "state");
        endpoints = List.copyOf(endpoints);
        rejected = List.copyOf(rejected);
        switch (state) {
            case HEALTHY -> {
                if (error != null) throw new IllegalArgumentException("source " + source + ": a healthy snapshot has no error, got " + error);
            }
            case FAILING -> {
                if (error == null) throw new IllegalArgumentException("source " + source + ": a failing snapshot needs its error");
            }
            case NEVER_READ -> {
                if (error == null) throw new IllegalArgumentException("source " + source + ": a never-read snapshot needs its error");
                if (!endpoints.isEmpty() || readAt != null)
                    throw new IllegalArgumentException("source " + source + ": a never-read snapshot has no endpoints and no read time");
            }
        }
    }

    /** A snapshot of a successful read. */
    public static SourceSnapshot ok(String source, List<Endpoint> endpoints, List<String> rejected, Instant readAt) {
        return new SourceSnapshot(source, endpoints, null, rejected, readAt, State.HEALTHY);
    }

    /** The snapshot of a source no read of which has succeeded yet, {@code error} saying why (or "not read yet"). */
    public static SourceSnapshot neverRead(String source, String error) {
        return new SourceSnapshot(source, List.of(), error, List.of(), null, State.NEVER_READ);
    }

    /** This snapshot's endpoints, marked with a new error: still never read if it was, else failing. */
    public SourceSnapshot failed(String error) {
        State next = state == State.NEVER_READ ? State.NEVER_READ : State.FAILING;
        return new SourceSnapshot(source, endpoints, error, rejected, readAt, next);
    }

    /** Whether the last read succeeded. */
    public boolean healthy() {
        return state == State.HEALTHY;
    }

    /** Whether a read ever succeeded: only then do the endpoints say anything about the servers. */
    public boolean everRead() {
        return state != State.NEVER_READ;
    }
}
