package dev.hsdo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.SocketRuntimeApi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code hsdo agent} or {@code hsdo controller} run from the built jar as its own process, the way a user
 * runs it ({@code java -jar hsdo.jar agent -c hsdo.yaml}), in its own directory, with its output appended to
 * {@code hsdo.log} there. It can be started again after it stopped or was killed.
 */
final class HsdoProc {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_BOUND = Duration.ofSeconds(40);

    final String name;
    final String role;
    final Path dir;
    final int adminPort;
    /** The agent's frontend port; -1 for a controller. */
    final int frontend;
    private final List<String> command;
    private final boolean viaLauncher;
    private final Path jar;
    private volatile Child child;

    HsdoProc(String name, String role, Path dir, int adminPort, int frontend, List<String> java, Path jar) {
        this.name = name;
        this.role = role;
        this.dir = dir;
        this.adminPort = adminPort;
        this.frontend = frontend;
        List<String> c = new ArrayList<>(java);
        // Through the ./hsdo launcher (with its JVM options, HSDO_JAR naming the jar), or java -jar.
        this.viaLauncher = Path.of(java.getFirst()).getFileName().toString().equals("hsdo");
        if (!viaLauncher) c.addAll(List.of("-jar", jar.toString()));
        c.addAll(List.of(role, "-c", dir.resolve("hsdo.yaml").toString()));
        this.command = List.copyOf(c);
        this.jar = jar;
    }

    /** Starts the process; returns the seconds until its admin API accepted connections. */
    double start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        // Only the launcher's variables: any other HSDO_ variable would be read as a config override.
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("HSDO_") && !k.equals("HSDO_LOG_LEVEL") && !k.equals("HSDO_JAVA_OPTS"));
        if (viaLauncher) env.put("HSDO_JAR", jar.toString());
        try {
            child = Child.start(pb, dir.resolve("hsdo.log"), adminPort, START_BOUND);
        } catch (IOException e) {
            throw new IOException(name + " (hsdo " + role + ") " + e.getMessage().substring(e.getMessage().indexOf("did not start")), e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    boolean alive() {
        Child c = child;
        return c != null && c.alive();
    }

    /** The process id, or -1 when it does not run. */
    long pid() {
        Child c = child;
        return c != null && c.alive() ? c.pid() : -1;
    }

    String exitDescription() {
        Child c = child;
        return c == null ? "never started" : c.alive() ? "running" : "exited with code " + c.exitCode();
    }

    void kill() throws InterruptedException {
        Child c = child;
        if (c != null) c.kill();
    }

    /** SIGTERM, SIGKILL after {@code grace}; returns the seconds it took, negative when it had to be killed. */
    double stop(Duration grace) {
        Child c = child;
        if (c == null) return 0;
        long t0 = System.nanoTime();
        boolean inTime = c.stop(grace);
        double s = (System.nanoTime() - t0) / 1e9;
        return inTime ? s : -s;
    }

    boolean signal(String signal) {
        long pid = pid();
        return pid > 0 && Procs.signal(pid, signal);
    }

    /** The config of the HAProxy this agent runs. */
    Path haproxyConfig() {
        return dir.resolve("run").resolve("haproxy.cfg");
    }

    /** The master pid in this agent's HAProxy pid file, or -1 when there is none. */
    long haproxyPidFile() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("run").resolve("haproxy.pid")).strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The HAProxy masters running from this agent's config (more than one: an earlier one was left behind). */
    List<Long> haproxyMasters() {
        return Procs.masters(Procs.haproxies(haproxyConfig()));
    }

    /**
     * The ports of the servers of {@code backend} that take new requests on this agent's HAProxy (up, neither
     * maintenance nor drain), read on a new connection each time, or null when HAProxy does not answer.
     */
    Set<Integer> serving(String backend) {
        Path socket = dir.resolve("run").resolve("admin.sock");
        if (!Files.exists(socket)) return null;
        RuntimeApi api = null;
        try {
            api = SocketRuntimeApi.connect(socket.toString(), Duration.ofSeconds(1));
            Set<Integer> ports = new TreeSet<>();
            for (ServerStateRow r : api.showServersState(backend)) if (r.isUp() && r.isReady()) ports.add(r.port());
            return ports;
        } catch (RuntimeApiException | RuntimeException e) {
            return null;
        } finally {
            if (api != null) api.close();
        }
    }

    /** Whether this controller says it leads; false when it does not answer. */
    boolean leads() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/v1/status"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return false;
            JsonNode doc = JSON.readTree(r.body());
            return doc.path("controller").path("leader").asBoolean(false);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
