package dev.hsdo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A three-member etcd 3.4 cluster on 127.0.0.1, each member a {@link Child} that can be killed and started
 * again on its own data directory.
 */
final class EtcdTrio implements AutoCloseable {
    static final int SIZE = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<Integer> client;
    private final List<Integer> peer;
    private final Child[] members = new Child[SIZE];

    private EtcdTrio(Path dir, List<Integer> client, List<Integer> peer) {
        this.dir = dir;
        this.client = client;
        this.peer = peer;
    }

    static EtcdTrio start(Path dir) throws Exception {
        List<Integer> ports = Haproxy.freePorts(2 * SIZE);
        EtcdTrio t = new EtcdTrio(dir, ports.subList(0, SIZE), ports.subList(SIZE, 2 * SIZE));
        try {
            t.startAll();
            return t;
        } catch (Exception e) {
            t.close();
            throw e;
        }
    }

    /** The client URLs, for hsdo's {@code store.endpoints}. */
    List<String> endpoints() {
        return client.stream().map(p -> "http://127.0.0.1:" + p).toList();
    }

    String name(int i) {
        return "e" + i;
    }

    /** Starts every member that is not running, all at once (a member waits for the others to form the cluster). */
    void startAll() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < SIZE; i++) {
                int m = i;
                if (!running(m)) started.add(pool.submit(() -> {
                    start(m);
                    return null;
                }));
            }
            for (Future<?> f : started) f.get();
        }
    }

    /** Starts member {@code i} again on its data directory. */
    void start(int i) throws IOException, InterruptedException {
        StringBuilder cluster = new StringBuilder();
        for (int m = 0; m < SIZE; m++) cluster.append(m == 0 ? "" : ",").append(name(m)).append("=http://127.0.0.1:").append(peer.get(m));
        members[i] = Child.start(new ProcessBuilder("etcd", "--name", name(i), "--data-dir", dir.resolve(name(i)).toString(),
                "--logger=zap", "--log-level=warn",
                "--listen-client-urls", "http://127.0.0.1:" + client.get(i), "--advertise-client-urls", "http://127.0.0.1:" + client.get(i),
                "--listen-peer-urls", "http://127.0.0.1:" + peer.get(i), "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer.get(i),
                "--initial-cluster", cluster.toString(), "--initial-cluster-token", "soak", "--initial-cluster-state", "new"),
                dir.resolve(name(i) + ".log"), client.get(i), Duration.ofSeconds(30));
    }

    boolean running(int i) {
        return members[i] != null && members[i].alive();
    }

    /** SIGKILL member {@code i}. */
    void kill(int i) throws InterruptedException {
        if (members[i] != null) members[i].kill();
    }

    void killAll() throws InterruptedException {
        for (int i = 0; i < SIZE; i++) kill(i);
    }

    /** The index of the member that leads raft, asked of the members through the API; -1 when none answers with one. */
    int leader() {
        for (int i = 0; i < SIZE; i++) {
            if (!running(i)) continue;
            try {
                JsonNode status = status(i);
                String leader = status.path("leader").asText();
                for (int m = 0; m < SIZE; m++) {
                    if (running(m) && !leader.isEmpty() && leader.equals(status(m).path("header").path("member_id").asText()))
                        return m;
                }
            } catch (IOException e) {
                // ask the next member
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    /** Waits until a member reports a leader; returns the seconds waited, or -1 when {@code bound} passed first. */
    double awaitLeader(Duration bound) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < bound.toNanos()) {
            if (leader() >= 0) return (System.nanoTime() - t0) / 1e9;
            Thread.sleep(100);
        }
        return -1;
    }

    private JsonNode status(int i) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + client.get(i) + "/v3/maintenance/status"))
                .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(name(i) + " status " + r.statusCode());
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        for (Child m : members) if (m != null) m.close();
    }
}
