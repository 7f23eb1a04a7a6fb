package dev.hsdo.model;

import java.time.Instant;
import java.util.List;

/**
 * What one source last knew. After a failure a source keeps publishing its last good endpoints with
 * {@code error} set, so a failing source never empties a backend.
 *
 * @param source    the source's configured name
 * @param endpoints the last good endpoints
 * @param error     the last error, or null when the last read succeeded
 * @param rejected  endpoints the source skipped because they failed validation, one message each
 * @param readAt    when the endpoints were last read successfully (for status only; never in a plan)
 */
public record SourceSnapshot(String source, List<Endpoint> endpoints, String error, List<String> rejected, Instant readAt) {
    public SourceSnapshot {
        endpoints = List.copyOf(endpoints);
        rejected = List.copyOf(rejected);
    }

    /** A snapshot of a successful read. */
    public static SourceSnapshot ok(String source, List<Endpoint> endpoints, List<String> rejected, Instant readAt) {
        return new SourceSnapshot(source, endpoints, null, rejected, readAt);
    }

    /** This snapshot's endpoints, marked with a new error. */
    public SourceSnapshot failed(String error) {
        return new SourceSnapshot(source, endpoints, error, rejected, readAt);
    }

    /** Whether the last read succeeded. */
    public boolean healthy() {
        return error == null;
    }
}
