package dev.hsdo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two HAProxies in front of a {@link Galera} cluster with hand-written configurations, as the Galera
 * active/backup write-up (the "seed") gives them: frontend {@code galera} on {@code ${port:fe}}, backend
 * {@code galera} in TCP mode with {@code option mysql-check}, n1 active and n2, n3 {@code backup}.
 * The baselines hsdo is compared with, and the reference the Galera tests are proven against.
 */
public final class GaleraHaproxies implements ActiveBackupProxies {
    /** The local peer names of the two HAProxies, in order. */
    public static final List<String> PEER_NAMES = List.of("hp-a", "hp-b");
    /** Server ids in the hand-written configs: n1 101, n2 202, n3 303 (the same on both HAProxies). */
    public static final List<Integer> IDS = List.of(101, 202, 303);

    /** Which of the seed's configurations. */
    public enum Seed {
        /**
         * The classic one: no peers, n1 takes its traffic back when it returns
         * ({@code on-marked-up shutdown-backup-sessions}): two failovers per outage.
         */
        FAILBACK,
        /**
         * Peers and a one-entry stick table ({@code stick on int(1)}), sessions closed only when their server
         * goes down, no failback: every HAProxy keeps the server the fleet stuck to.
         */
        PEERS
    }

    private final List<HaproxyFixture> haproxies;

    private GaleraHaproxies(List<HaproxyFixture> haproxies) {
        this.haproxies = List.copyOf(haproxies);
    }

    /** Starts two HAProxies with {@code seed}'s configuration, each in its own sub-directory of {@code dir}. */
    public static GaleraHaproxies start(Seed seed, Galera galera, Path dir) {
        int[] peerPorts = Ports.free(PEER_NAMES.size());
        List<HaproxyFixture> started = new ArrayList<>();
        try {
            for (String local : PEER_NAMES) {
                Path d = dir.resolve(local);
                Files.createDirectories(d);
                HaproxyFixture.Builder b = HaproxyFixture.builder(d).sections(sections(seed, galera, peerPorts));
                if (seed == Seed.PEERS) b.args("-L", local);
                started.add(b.start());
            }
            return new GaleraHaproxies(started);
        } catch (IOException e) {
            started.forEach(HaproxyFixture::close);
            throw new UncheckedIOException("cannot create HAProxy directories under " + dir, e);
        } catch (RuntimeException | Error e) {
            started.forEach(HaproxyFixture::close);
            throw e;
        }
    }

    /** Everything after {@code global} for {@code seed}; {@code peerPorts} are the peers' ports in {@link #PEER_NAMES} order. */
    public static String sections(Seed seed, Galera galera, int[] peerPorts) {
        StringBuilder s = new StringBuilder("""
                defaults
                  mode tcp
                  timeout connect 1s
                  timeout client 60s
                  timeout server 60s
                """);
        if (seed == Seed.PEERS) {
            s.append("peers galera_peers\n");
            for (int i = 0; i < PEER_NAMES.size(); i++) {
                s.append("  peer ").append(PEER_NAMES.get(i)).append(" 127.0.0.1:").append(peerPorts[i]).append('\n');
            }
        }
        s.append("""
                frontend galera
                  bind 127.0.0.1:${port:fe}
                  default_backend galera
                backend galera
                  option mysql-check user %s post-41
                  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2 on-marked-down shutdown-sessions
                """.formatted(Galera.CHECK_USER));
        if (seed == Seed.PEERS) {
            // size 2, not 1 (TESTING.md): with one slot the entry is briefly dropped to make room for its own
            // update, and a new connection in that gap can fail back.
            s.append("  stick-table type integer size 2 peers galera_peers\n  stick on int(1)\n");
        }
        List<Galera.Node> nodes = galera.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Galera.Node n = nodes.get(i);
            s.append("  server ").append(n.name()).append(" 127.0.0.1:").append(n.port()).append(" id ").append(IDS.get(i))
                    .append(" check").append(i == 0 ? "" : " backup");
            if (i == 0 && seed == Seed.FAILBACK) s.append(" on-marked-up shutdown-backup-sessions");
            s.append('\n');
        }
        return s.toString();
    }

    /** HAProxy {@code i} (0 or 1). */
    public HaproxyFixture get(int i) {
        return haproxies.get(i);
    }

    @Override
    public int frontend(int i) {
        return haproxies.get(i).port("fe");
    }

    @Override
    public String cli(int i, String command) {
        return haproxies.get(i).cli(command);
    }

    /** Same config and {@code -L} name: the new process has an empty table until its peer sends the entry. */
    @Override
    public void restartHaproxy(int i) {
        haproxies.get(i).restart();
    }

    @Override
    public void close() {
        haproxies.forEach(HaproxyFixture::close);
    }
}
