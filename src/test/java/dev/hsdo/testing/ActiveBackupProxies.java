package dev.hsdo.testing;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Two HAProxies in front of one active/backup backend {@link #BACKEND}, whoever configures them: the seed's
 * hand-written configs ({@link GaleraHaproxies}) or two {@code hsdo run} instances. The Galera tests and
 * the benchmark are written against this seam only.
 */
public interface ActiveBackupProxies extends AutoCloseable {
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

    /** The server id in HAProxy {@code i}'s one-entry stick table, or null while it has none. */
    default String stuckId(int i) {
        Matcher m = Pattern.compile("server_id=(\\d+)").matcher(cli(i, "show table " + BACKEND));
        return m.find() ? m.group(1) : null;
    }

    /** Whether HAProxy {@code i}'s checks see server {@code name} running. */
    default boolean isUp(int i, String name) {
        // show servers state: be_id be_name srv_id srv_name srv_addr srv_op_state ...; op state 2 = running.
        for (String line : cli(i, "show servers state " + BACKEND).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 5 && f[3].equals(name)) return f[5].equals("2");
        }
        return false;
    }

    /** Waits (at most 15 s) until both HAProxies' checks see server {@code name} up. */
    default void awaitUpOnBoth(String name) {
        await(name + " up on both HAProxies").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> isUp(0, name) && isUp(1, name));
    }

    /**
     * Waits (at most 20 s) until each HAProxy's session with its peer has been up for two seconds in a row.
     * Right after a start both sides connect to each other; one of the two sessions is closed as a collision
     * and the survivor may come a reconnect later. An entry changed in that window travels late (seen: B still
     * held n1's entry 2 s after A had moved, when the kill came right after the first "active").
     */
    default void awaitPeersConnected() {
        await("peer sessions established and steady").atMost(Duration.ofSeconds(20)).during(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cli(0, "show peers").contains("(remote,active)") && cli(1, "show peers").contains("(remote,active)"));
    }
}
