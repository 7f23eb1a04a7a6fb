package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hsdo quickstart}: three demo origins, a servers file, HAProxy under hsdo's supervision and hsdo
 * standalone on the file store, all on loopback, until Ctrl-C.
 */
@Command(name = "quickstart", description = "Runs a demo: HAProxy in front of three demo servers, driven by a servers file you can edit.")
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "Working directory for the demo's files (default: ./hsdo-quickstart)")
    Path dir = Path.of("hsdo-quickstart");
    @Option(names = "--frontend-port", description = "Port of the HAProxy frontend (default: ${DEFAULT-VALUE})")
    int frontendPort = 8080;
    @Option(names = "--admin-port", description = "Port of the admin API (default: 9090, or a free port when 9090 is taken)")
    Integer adminPort;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!HaproxyInstall.ensure(err)) return 2;
        if (!free(frontendPort)) {
            err.println("hsdo: port " + frontendPort + " on 127.0.0.1 is in use; choose another with --frontend-port");
            return 2;
        }
        int admin = adminPort != null ? adminPort : free(9090) ? 9090 : anyFreePort();
        Path d = dir.toAbsolutePath().normalize();
        Files.createDirectories(d);
        DemoOrigins origins = DemoOrigins.start(3);
        Path servers = d.resolve("servers.yaml");
        StringBuilder yaml = new StringBuilder("# Edit me: hsdo applies changes within a second.\nservers:\n");
        for (int i = 1; i <= origins.size(); i++)
            yaml.append("  - {name: origin-").append(i).append(", address: 127.0.0.1, port: ").append(origins.port(i)).append("}\n");
        Files.writeString(servers, yaml);
        Path configFile = d.resolve("hsdo.yaml");
        try (InputStream in = QuickstartCommand.class.getResourceAsStream("/examples/quickstart.yaml")) {
            if (in == null) throw new IOException("examples/quickstart.yaml is missing from the hsdo jar");
            Files.write(configFile, in.readAllBytes());
        }
        // The example config stays as shipped; this run's ports come in as environment overrides.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HSDO_FRONTENDS_0_BIND", "127.0.0.1:" + frontendPort);
        env.put("HSDO_ADMIN_BIND", "127.0.0.1:" + admin);
        // A demo leaves nothing behind: its HAProxy stops with it.
        env.put("HSDO_HAPROXY_STOP_WITH_HSDO", "true");
        HsdoConfig config = ConfigLoader.load(configFile, env);

        Standalone s;
        try {
            s = Standalone.start(config, Clock.systemUTC());
        } catch (Exception e) {
            origins.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            origins.close();
            stopped.countDown();
        }, "hsdo-quickstart-stop"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!s.agent().status().converged() && Instant.now().isBefore(deadline)) Thread.sleep(20);
        out.println("frontend: http://127.0.0.1:" + frontendPort);
        out.println("admin: http://127.0.0.1:" + s.adminPort());
        out.println("servers file: " + servers);
        out.println("try: curl http://127.0.0.1:" + frontendPort + "/some/key   (edit the servers file, curl again; Ctrl-C stops everything)");
        out.flush();
        stopped.await();
        return 0;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFreePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
