package dev.hsdo.testing;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real HAProxy process for a test, started in the foreground as a child and stopped by its PID.
 *
 * <p>The fixture writes the {@code global} section itself: an admin-level stats socket at
 * {@code DIR/admin.sock} and another on {@code 127.0.0.1:}{@link #statsTcpPort()}. The caller gives
 * the rest of the configuration, in which {@code ${dir}} becomes the directory and
 * {@code ${port:NAME}} a free loopback port, the same one for every use of NAME (read it back with
 * {@link #port(String)}). Use one fixture per directory: the socket and log names are fixed.
 *
 * <pre>{@code
 * try (HaproxyFixture hap = HaproxyFixture.start(tmp, HaproxyFixture.HTTP_DEFAULTS + """
 *         frontend fe
 *           bind 127.0.0.1:${port:fe}
 *           default_backend be
 *         backend be
 *           balance uri
 *           hash-type consistent
 *         """)) {
 *     hap.cli("show servers state be");
 * }
 * }</pre>
 */
public final class HaproxyFixture implements AutoCloseable {
    /** A {@code defaults} section for HTTP tests with short timeouts. */
    public static final String HTTP_DEFAULTS = """
            defaults
              mode http
              timeout connect 1s
              timeout client 10s
              timeout server 10s
            """;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern PORT_NAME = Pattern.compile("port:([A-Za-z0-9_.-]+)");
    private static final Duration START_BOUND = Duration.ofSeconds(10);
    private static final Duration STOP_BOUND = Duration.ofSeconds(5);
    private static final int CLI_TIMEOUT_MILLIS = 5_000;
    private static final Pattern VERSION_LINE = Pattern.compile("HAProxy version (\\S+)");
    // The binary does not change during a test run: asked once.
    private static volatile String installedVersion;

    private final Path dir;
    private final Path config;
    private final Path log;
    private final int statsTcpPort;
    private final Map<String, Integer> ports;
    private final List<String> command;
    // Guarded by this: replaced on restart, read by pid()/stop() possibly from an @AfterEach thread.
    private Process process;

    private HaproxyFixture(Path dir, String configText, int statsTcpPort, Map<String, Integer> ports,
                           List<String> extraArgs) {
        this.dir = dir;
        this.config = dir.resolve("haproxy.cfg");
        this.log = dir.resolve("haproxy.log");
        this.statsTcpPort = statsTcpPort;
        this.ports = Map.copyOf(ports);
        List<String> cmd = new ArrayList<>(List.of(binary(), "-f", config.toString()));
        cmd.addAll(extraArgs);
        this.command = List.copyOf(cmd);
        try {
            Files.writeString(config, configText);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    /** The HAProxy binary tests run: the {@code hsdo.haproxy} system property, else {@code haproxy} on PATH. */
    public static String binary() {
        return System.getProperty("hsdo.haproxy", "haproxy");
    }

    /**
     * The version of {@link #binary()} as {@code haproxy -v} prints it, e.g. {@code 2.6.12-1+deb12u4}: the
     * version the tests of this run are against (scripts/test runs the HAProxy tests once per version).
     */
    public static String installedVersion() {
        String v = installedVersion;
        if (v != null) return v;
        try {
            Process p = new ProcessBuilder(binary(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(START_BOUND.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly();
            Matcher m = VERSION_LINE.matcher(out);
            if (!m.find()) throw new IllegalStateException("'" + binary() + " -v' printed no version: " + out);
            installedVersion = m.group(1);
            return installedVersion;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run '" + binary() + " -v'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + binary() + " -v'", e);
        }
    }

    /** Starts HAProxy in {@code dir} with {@code sections} after the fixture's global section. */
    public static HaproxyFixture start(Path dir, String sections) {
        return builder(dir).sections(sections).start();
    }

    /** A builder for extra global lines or command-line arguments. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Collects what goes into the configuration and onto the command line. */
    public static final class Builder {
        private final Path dir;
        private final List<String> globalLines = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private String sections = "";

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Adds a line to the global section (placeholders allowed). */
        public Builder global(String line) {
            globalLines.add(line);
            return this;
        }

        /** Everything after the global section (placeholders allowed). */
        public Builder sections(String text) {
            this.sections = text;
            return this;
        }

        /** Extra command-line arguments (placeholders allowed), e.g. {@code -L A} for a local peer name. */
        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** Master-worker mode ({@code -W}) with the master CLI on {@code ${port:master}}; see {@link #masterCli}. */
        public Builder masterWorker() {
            return args("-W", "-S", "127.0.0.1:${port:master}");
        }

        /** Writes the configuration, starts HAProxy and waits until its stats sockets answer. */
        public HaproxyFixture start() {
            StringBuilder text = new StringBuilder()
                    .append("global\n")
                    .append("  stats socket ${dir}/admin.sock mode 600 level admin\n")
                    .append("  stats socket ipv4@127.0.0.1:${port:stats} level admin\n")
                    .append("  stats timeout 2m\n");
            globalLines.forEach(l -> text.append("  ").append(l).append('\n'));
            text.append(sections);
            Map<String, Integer> ports = allocatePorts(text + "\n" + String.join(" ", args));
            String filled = fill(text.toString(), ports);
            List<String> filledArgs = args.stream().map(a -> fill(a, ports)).toList();
            HaproxyFixture f = new HaproxyFixture(dir, filled, ports.get("stats"), ports, filledArgs);
            f.launch();
            return f;
        }

        private static Map<String, Integer> allocatePorts(CharSequence text) {
            List<String> names = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                Matcher p = PORT_NAME.matcher(m.group(1));
                if (p.matches() && !names.contains(p.group(1))) names.add(p.group(1));
            }
            int[] free = Ports.free(names.size());
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) ports.put(names.get(i), free[i]);
            return ports;
        }

        private String fill(String text, Map<String, Integer> ports) {
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String key = m.group(1);
                Matcher p = PORT_NAME.matcher(key);
                String value;
                if (key.equals("dir")) value = dir.toString();
                else if (p.matches()) value = String.valueOf(ports.get(p.group(1)));
                else throw new IllegalArgumentException("unknown placeholder ${" + key + "} in HAProxy config; use ${dir} or ${port:NAME}");
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            return m.appendTail(out).toString();
        }
    }

    /** The unix admin socket. */
    public Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    /** The TCP admin socket's port on 127.0.0.1. */
    public int statsTcpPort() {
        return statsTcpPort;
    }

    /** The port allocated for {@code ${port:name}}. */
    public int port(String name) {
        Integer p = ports.get(name);
        if (p == null) throw new IllegalArgumentException("no ${port:" + name + "} in the config; known: " + ports.keySet());
        return p;
    }

    /** The written configuration file. */
    public Path configFile() {
        return config;
    }

    /** The process's PID (the master's in master-worker mode). */
    public synchronized long pid() {
        return process.pid();
    }

    /** Whether the process is running. */
    public synchronized boolean isAlive() {
        return process.isAlive();
    }

    /** Everything HAProxy printed so far (all starts appended). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /**
     * Runs one command on a fresh connection to the TCP admin socket (no prompt mode) and returns the
     * answer as prompt mode would give it: without the line break HAProxy adds at the end. Independent of
     * the code under test, for checking HAProxy's state.
     */
    public String cli(String cmd) {
        return oneShot(statsTcpPort, cmd);
    }

    private static String oneShot(int port, String cmd) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), CLI_TIMEOUT_MILLIS);
            s.setSoTimeout(CLI_TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Without prompt mode HAProxy closes the connection after the answer.
            try (InputStream in = s.getInputStream()) {
                String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return answer.endsWith("\n") ? answer.substring(0, answer.length() - 1) : answer;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy CLI on 127.0.0.1:" + port + " failed for '" + cmd + "'", e);
        }
    }

    /**
     * Runs one command on the master CLI (needs {@link Builder#masterWorker()}), e.g. {@code reload} or
     * {@code show proc}, and returns the answer.
     */
    public String masterCli(String cmd) {
        // Measured on 2.6: unlike the stats socket, the master CLI keeps the connection open after answering.
        return oneShot(port("master"), cmd + ";quit");
    }

    /** Kills the process with SIGKILL and waits for it to exit. */
    public synchronized void kill9() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Stops the process (SIGTERM, then SIGKILL if it lingers) and starts it again with the same config. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Stops the process: SIGTERM, then SIGKILL after a bound; returns once it has exited. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        awaitExit();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() {
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        Process started = process;
        try {
            Awaitility.await("HAProxy " + config + " answering on its stats sockets")
                    .atMost(START_BOUND)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> answers(started));
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private boolean answers(Process p) {
        if (!p.isAlive()) {
            throw new IllegalStateException("HAProxy exited with " + p.exitValue() + " during start-up; log:\n" + log());
        }
        try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            unix.connect(UnixDomainSocketAddress.of(adminSocket()));
        } catch (IOException e) {
            return false;
        }
        try {
            // In master-worker mode the master re-executes itself after forking the worker: wait for its CLI too.
            boolean masterReady = !ports.containsKey("master") || masterCli("show proc").contains("worker");
            return masterReady && cli("show info").contains("Name: HAProxy");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("HAProxy pid " + process.pid() + " did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for HAProxy pid " + process.pid() + " to exit", e);
        }
    }
}
