package dev.hsdo.cli;

import dev.hsdo.testing.ActiveBackupProxies;
import dev.hsdo.testing.Galera;
import dev.hsdo.testing.GaleraHsdoYaml;
import dev.hsdo.testing.GaleraHsdoYaml.Instance;
import dev.hsdo.testing.Ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Two {@code hsdo run} processes (the built jar), each running its own HAProxy under {@code DIR/NAME/run} with
 * the active/backup Galera config of {@link GaleraHsdoYaml}, peers of each other. HAProxy outlives hsdo by
 * default, so {@link #close()} stops both by their PIDs.
 */
public final class GaleraHsdoPair implements ActiveBackupProxies {
    private static final Duration HSDO_START = Duration.ofSeconds(60);
    private static final Duration HSDO_STOP = Duration.ofSeconds(20);

    /** {@code hsdo validate} rejects the config: this hsdo has no active/backup support (yet). */
    public static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final List<Instance> fleet;
    // Guarded by the test thread alone: hsdo processes are replaced by restarts.
    private final List<HsdoJar.Started> hsdo = new ArrayList<>();
    private final List<LeftHaproxy> haproxies = new ArrayList<>();

    private GaleraHsdoPair(Path dir, List<Instance> fleet) {
        this.dir = dir;
        this.fleet = List.copyOf(fleet);
        for (Instance i : fleet) {
            hsdo.add(null);
            haproxies.add(new LeftHaproxy(home(i).resolve("run")));
        }
    }

    /**
     * Writes both configs under {@code dir}, checks them with {@code hsdo validate} (throws {@link Unsupported}
     * with hsdo's message when it rejects them) and starts both instances, each waited for until its HAProxy
     * has the three servers.
     */
    public static GaleraHsdoPair start(Galera galera, Path dir) {
        int[] p = Ports.free(6);
        List<Instance> fleet = List.of(new Instance("hp-a", p[0], p[1], p[2]), new Instance("hp-b", p[3], p[4], p[5]));
        GaleraHsdoPair pair = new GaleraHsdoPair(dir, fleet);
        for (Instance i : fleet) GaleraHsdoYaml.write(pair.home(i), galera, i, fleet);
        Path first = pair.home(fleet.getFirst());
        HsdoJar.Result check = HsdoJar.run(first, Map.of(), "validate", "-c", first.resolve("hsdo.yaml").toString());
        if (check.code() != 0) throw new Unsupported("hsdo validate rejects the active-backup config: " + (check.err() + check.out()).strip());
        try {
            for (int i = 0; i < fleet.size(); i++) pair.startHsdo(i);
            return pair;
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
    }

    /** Stops hsdo {@code i} alone (SIGTERM) and starts it again; it must adopt the HAProxy that kept running. */
    public void restartHsdoOnly(int i) {
        stopHsdo(i);
        long master = haproxies.get(i).masterPid();
        startHsdo(i);
        if (haproxies.get(i).masterPid() != master) {
            throw new IllegalStateException("hsdo " + fleet.get(i).peerName() + " restarted HAProxy (master " + master
                    + " -> " + haproxies.get(i).masterPid() + ") instead of adopting it");
        }
    }

    @Override
    public int frontend(int i) {
        return fleet.get(i).frontend();
    }

    @Override
    public String cli(int i, String command) {
        return haproxies.get(i).cli(command);
    }

    /** hsdo and its HAProxy both go; the next hsdo starts a fresh HAProxy with an empty table. */
    @Override
    public void restartHaproxy(int i) {
        stopHsdo(i);
        haproxies.get(i).close();
        try {
            Files.deleteIfExists(home(fleet.get(i)).resolve("run/haproxy.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startHsdo(i);
    }

    @Override
    public void close() {
        for (int i = 0; i < fleet.size(); i++) {
            if (hsdo.get(i) != null) hsdo.get(i).close();
            haproxies.get(i).close();
        }
    }

    private Path home(Instance i) {
        return dir.resolve(i.peerName());
    }

    private void stopHsdo(int i) {
        try {
            if (!hsdo.get(i).terminate(HSDO_STOP)) hsdo.get(i).close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hsdo.get(i).close();
        }
    }

    private void startHsdo(int i) {
        Instance in = fleet.get(i);
        Path log = home(in).resolve("hsdo.log");
        HsdoJar.Started s = HsdoJar.start(home(in), Map.of(), false, log, "run", "-c", home(in).resolve("hsdo.yaml").toString());
        hsdo.set(i, s);
        await("hsdo " + in.peerName() + " serving three servers (log " + log + ")").atMost(HSDO_START)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!s.process.isAlive()) throw new IllegalStateException("hsdo exited:\n" + s.output());
                    return isUp(i, "n1") || isUp(i, "n2") || isUp(i, "n3");
                });
    }
}
