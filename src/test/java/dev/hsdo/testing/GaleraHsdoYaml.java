package dev.hsdo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code hsdo run} configuration for one of several HAProxies in front of a {@link Galera} cluster with
 * hsdo's active/backup backend (issue 9; keys in the cross-helper contract): frontend {@code galera},
 * backend {@code galera} in TCP mode, {@code active-backup: true}, MySQL checks, the other HAProxies as
 * static peers, and the three nodes in a file source with n1 preferred ({@code hsdo.priority}).
 */
public final class GaleraHsdoYaml {
    private GaleraHsdoYaml() {}

    /** One HAProxy of the fleet: its local peer name and peer port, its frontend and admin ports. */
    public record Instance(String peerName, int peerPort, int frontend, int admin) {}

    /**
     * Writes {@code dir/servers.yaml} and {@code dir/hsdo.yaml} for {@code self} among {@code fleet} (which
     * includes it); returns the config file. Runtime files go to {@code dir/run}.
     */
    public static Path write(Path dir, Galera galera, Instance self, List<Instance> fleet) {
        StringBuilder servers = new StringBuilder("servers:\n");
        List<Galera.Node> nodes = galera.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Galera.Node n = nodes.get(i);
            servers.append("  - {address: 127.0.0.1, port: ").append(n.port()).append(", name: ").append(n.name())
                    .append(", meta: {hsdo.priority: \"").append((i + 1) * 10).append("\"}}\n");
        }
        StringBuilder peers = new StringBuilder();
        for (Instance other : fleet) {
            if (other.equals(self)) continue;
            peers.append("    - {name: ").append(other.peerName()).append(", address: 127.0.0.1:").append(other.peerPort()).append("}\n");
        }
        String yaml = """
                haproxy:
                  runtime-dir: ./run
                  timeouts:
                    client: 60s
                    # a write waits while Galera evicts a dead node (~5 s): not a reason to cut it
                    server: 60s
                peers:
                  local-name: %s
                  bind: 127.0.0.1:%d
                  static:
                %sfrontends:
                  - name: galera
                    bind: 127.0.0.1:%d
                    mode: tcp
                    default-backend: galera
                backends:
                  - name: galera
                    mode: tcp
                    active-backup: true
                    sources: [nodes]
                    health-check:
                      type: mysql
                      mysql-user: %s
                      inter: 1s
                      fastinter: 500ms
                      downinter: 1s
                      rise: 2
                      fall: 2
                sources:
                  - name: nodes
                    type: file
                    path: servers.yaml
                reconcile-interval: 1s
                admin:
                  bind: 127.0.0.1:%d
                """.formatted(self.peerName(), self.peerPort(), peers, self.frontend(), Galera.CHECK_USER, self.admin());
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("servers.yaml"), servers);
            Path config = dir.resolve("hsdo.yaml");
            Files.writeString(config, yaml);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the hsdo config under " + dir, e);
        }
    }
}
