package dev.hsdo.config;

import java.time.Duration;
import java.util.List;

/**
 * Active health checks of a backend's servers.
 *
 * @param enabled   run checks
 * @param method    HTTP method of the check (http backends)
 * @param path      path of the check (http backends)
 * @param inter     interval
 * @param fastinter interval while a state change is pending
 * @param downinter interval while down
 * @param rise      successes to mark up
 * @param fall      failures to mark down
 * @param timeout   timeout check
 * @param type      what kind of check; null means the mode's default (http for http backends, tcp for tcp)
 * @param mysqlUser the user of a {@link CheckType#MYSQL} check, or null for a handshake without login
 * @param tcpSteps  send/expect steps of a {@link CheckType#TCP} check (empty: a plain connect)
 * @param command   the absolute path of the program of an {@link CheckType#EXTERNAL} check, else null
 */
public record HealthCheck(boolean enabled, String method, String path, Duration inter, Duration fastinter,
                          Duration downinter, int rise, int fall, Duration timeout, CheckType type, String mysqlUser,
                          List<TcpCheckStep> tcpSteps, String command) {
    public HealthCheck {
        tcpSteps = tcpSteps == null ? List.of() : List.copyOf(tcpSteps);
    }

    /** A check of the backend mode's default type. */
    public HealthCheck(boolean enabled, String method, String path, Duration inter, Duration fastinter,
                       Duration downinter, int rise, int fall, Duration timeout) {
        this(enabled, method, path, inter, fastinter, downinter, rise, fall, timeout, null, null, List.of(), null);
    }

    /** The check type in a backend of {@code mode}: the configured one, else the mode's default. */
    public CheckType typeIn(Mode mode) {
        if (type != null) return type;
        return mode == Mode.HTTP ? CheckType.HTTP : CheckType.TCP;
    }
}
