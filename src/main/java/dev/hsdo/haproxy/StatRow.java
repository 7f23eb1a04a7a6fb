package dev.hsdo.haproxy;

import java.util.Map;
import java.util.Objects;

/**
 * One line of {@code show stat}: a frontend, a backend or a server. The common columns are typed here; every
 * column is in {@link #fields()} under HAProxy's name. Empty counters read as 0.
 *
 * @param proxy           pxname: frontend or backend name
 * @param service         svname: {@code FRONTEND}, {@code BACKEND} or the server name
 * @param status          status: {@code UP}, {@code DOWN}, {@code MAINT}, {@code DRAIN}, {@code no check}, {@code OPEN}, ...
 * @param currentSessions scur
 * @param maxSessions     smax: the highest scur seen
 * @param sessionLimit    slim: the configured maxconn, 0 when there is none
 * @param weight          weight: the effective weight (servers, backends), 0 for frontends
 * @param currentQueue    qcur
 * @param totalSessions   stot
 * @param fields          every column by name, as printed
 */
public record StatRow(String proxy, String service, String status, long currentSessions, long maxSessions,
                      long sessionLimit, int weight, long currentQueue, long totalSessions, Map<String, String> fields) {
    public StatRow {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(status, "status");
        // The parser's own read-only view is kept as it is: copying it would cost what it saves.
        fields = fields instanceof StatColumns ? fields : Map.copyOf(fields);
    }

    /** The aggregate line of a frontend. */
    public boolean isFrontend() {
        return service.equals("FRONTEND");
    }

    /** The aggregate line of a backend. */
    public boolean isBackend() {
        return service.equals("BACKEND");
    }

    /** A server line. */
    public boolean isServer() {
        return !isFrontend() && !isBackend();
    }

    /** Column {@code name} as printed, or null when the dump has no such column. */
    public String field(String name) {
        return fields.get(name);
    }
}
