package dev.hsdo.config;

import java.time.Duration;

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
 */
public record HealthCheck(boolean enabled, String method, String path, Duration inter, Duration fastinter,
                          Duration downinter, int rise, int fall, Duration timeout) {
}
