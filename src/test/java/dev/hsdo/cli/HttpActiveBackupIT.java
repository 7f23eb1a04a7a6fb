package dev.hsdo.cli;

/**
 * {@link ActiveBackupIT} with an http-mode backend: the same rules hold, and a restarted HAProxy waits for the
 * fleet's entry through hsdo's Lua action rather than the tcp inspect rule.
 */
class HttpActiveBackupIT extends ActiveBackupIT {
    @Override
    protected String mode() {
        return "http";
    }
}
