package dev.hsdo.cli;

/**
 * The two HAProxies an active/backup test drives, whoever configures them: hand-written peers configs
 * (the seed's) or two {@code hsdo run} instances. The Galera cases are written against this seam only.
 */
interface ActiveBackupProxies extends AutoCloseable {
    /** The name of the active/backup backend (also its stick table's name). */
    String BACKEND = "galera";

    /** The port of HAProxy {@code i}'s frontend (0 or 1) on 127.0.0.1. */
    int frontend(int i);

    /** One command on HAProxy {@code i}'s Runtime API; the answer. */
    String cli(int i, String command);

    /** Stops HAProxy {@code i} and starts it again with the same configuration and local peer name. */
    void restartHaproxy(int i);

    /** Stops everything it started, by PID. */
    @Override
    void close();
}
