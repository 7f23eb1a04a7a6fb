package dev.hsdo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real etcd cluster of one or more members on loopback, each a child process on free ports with its
 * data in {@code dir}, stopped by PID. Members can be killed and restarted (from their data directory).
 */
public final class EtcdCluster implements AutoCloseable {
    private static final Duration START_BOUND = Duration.ofSeconds(20);

    private final Path dir;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final String token;
    // guarded by this: the running process of each member, null while it is down
    private final Process[] members;

    private EtcdCluster(Path dir, int size) {
        this.dir = dir;
        int[] ports = Ports.free(2 * size);
        this.clientPorts = new int[size];
        this.peerPorts = new int[size];
        for (int i = 0; i < size; i++) {
            clientPorts[i] = ports[2 * i];
            peerPorts[i] = ports[2 * i + 1];
        }
        this.token = "hsdo-test-" + ports[0];
        this.members = new Process[size];
    }

    /** Starts {@code size} members in {@code dir} and returns once every one is healthy. */
    public static EtcdCluster start(Path dir, int size) {
        EtcdCluster c = new EtcdCluster(dir, size);
        try {
            for (int i = 0; i < size; i++) c.launch(i);
            for (int i = 0; i < size; i++) c.awaitHealthy(i);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The client URLs of every member. */
    public List<String> endpoints() {
        List<String> out = new ArrayList<>();
        for (int p : clientPorts) out.add("http://127.0.0.1:" + p);
        return out;
    }

    /**
     * The index of the member that leads raft now, as the running members say (their status through the
     * JSON gateway), or -1 while they do not agree on one.
     */
    public int raftLeader() {
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        java.util.Set<String> leaders = new java.util.HashSet<>();
        for (int i = 0; i < clientPorts.length; i++) {
            synchronized (this) {
                if (members[i] == null) continue;
            }
            try (var http = java.net.http.HttpClient.newHttpClient()) {
                var response = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + clientPorts[i] + "/v3/maintenance/status"))
                        .timeout(Duration.ofSeconds(2)).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
                ids.put(json.path("header").path("member_id").asText(), i);
                leaders.add(json.path("leader").asText());
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        if (leaders.size() != 1) return -1;
        return ids.getOrDefault(leaders.iterator().next(), -1);
    }

    /** Kills member {@code i} with SIGKILL and waits for it to exit. */
    public synchronized void kill(int i) {
        Process p = members[i];
        if (p == null) return;
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("etcd member " + i + " did not die");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        members[i] = null;
    }

    /** Kills every member. */
    public void killAll() {
        for (int i = 0; i < members.length; i++) kill(i);
    }

    /** Starts member {@code i} again from its data directory and waits until it is healthy. */
    public void restart(int i) {
        launch(i);
        awaitHealthy(i);
    }

    private synchronized void launch(int i) {
        if (members[i] != null) throw new IllegalStateException("etcd member " + i + " is running");
        StringBuilder cluster = new StringBuilder();
        for (int k = 0; k < peerPorts.length; k++)
            cluster.append(k == 0 ? "" : ",").append("n").append(k).append("=http://127.0.0.1:").append(peerPorts[k]);
        Path data = dir.resolve("etcd-n" + i);
        List<String> cmd = List.of("etcd", "--name", "n" + i, "--data-dir", data.toString(),
                "--logger=zap", "--log-level=warn",
                "--listen-client-urls", "http://127.0.0.1:" + clientPorts[i],
                "--advertise-client-urls", "http://127.0.0.1:" + clientPorts[i],
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts[i],
                "--initial-cluster", cluster.toString(), "--initial-cluster-token", token,
                "--initial-cluster-state", "new",
                // Loopback is fast: short elections keep the tests that kill members short.
                "--heartbeat-interval", "50", "--election-timeout", "500");
        try {
            Files.createDirectories(dir);
            members[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd-n" + i + ".log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd (apt-get install etcd-server)", e);
        }
    }

    private void awaitHealthy(int i) {
        await().atMost(START_BOUND).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            synchronized (this) {
                if (members[i] == null || !members[i].isAlive())
                    throw new IllegalStateException("etcd member " + i + " exited; see " + dir.resolve("etcd-n" + i + ".log"));
            }
            return Http.fetch(clientPorts[i], "/health").body().contains("\"true\"");
        });
    }

    @Override
    public void close() {
        killAll();
    }
}
