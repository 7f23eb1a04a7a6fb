package dev.hsdo.haproxy;

import dev.hsdo.config.AdminConfig;
import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.FrontendConfig;
import dev.hsdo.config.GuardConfig;
import dev.hsdo.config.HaproxySettings;
import dev.hsdo.config.HealthCheck;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.Mode;
import dev.hsdo.config.ServerDefaults;
import dev.hsdo.config.StoreConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Configs and plans shared by the renderer's unit and integration tests. */
final class RenderFixtures {
    static final HealthCheck HTTP_CHECK = new HealthCheck(true, "GET", "/", Duration.ofSeconds(2),
            Duration.ofMillis(500), Duration.ofSeconds(2), 2, 3, Duration.ofMillis(500));
    static final ServerOptions NO_CHECK = new ServerOptions(0, false, false, false, 2000, 500, 2000, 2, 3, false, false);

    private RenderFixtures() {}

    /** Listen addresses of one rendered HAProxy. */
    record Binds(String http, String tcp, String stats, String health) {
        static final Binds GOLDEN = new Binds("127.0.0.1:8080", "127.0.0.1:3306", "127.0.0.1:8404", "127.0.0.1:8405");
    }

    static HaproxySettings settings(Path runtimeDir, Binds binds, String log) {
        return new HaproxySettings("haproxy", runtimeDir, 2000, 2, log, binds.stats(), binds.health(),
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    /** An http frontend and backend ("app", consistent URI hash) and a tcp pair ("db", round robin). */
    static HsdoConfig config(HaproxySettings settings, Binds binds) {
        ServerDefaults defaults = new ServerDefaults(100, 0, false, false);
        return new HsdoConfig(settings,
                List.of(new FrontendConfig("web", binds.http(), Mode.HTTP, "app"),
                        new FrontendConfig("sql", binds.tcp(), Mode.TCP, "db")),
                List.of(new BackendConfig("app", Mode.HTTP, "uri", "consistent", List.of("peers"), HTTP_CHECK, defaults, 3),
                        new BackendConfig("db", Mode.TCP, "roundrobin", null, List.of("peers"), HTTP_CHECK, defaults, 3)),
                List.of(), Duration.ofSeconds(5), Duration.ofSeconds(30), new GuardConfig(0.5),
                new AdminConfig(null, null), new StoreConfig("file", Path.of("plan.json")));
    }

    static HsdoConfig goldenConfig() {
        return config(settings(Path.of("/run/hsdo"), Binds.GOLDEN, "stdout format raw local0"), Binds.GOLDEN);
    }

    static ServerPlan server(String name, int id, String address, int port, ServerOptions options) {
        return new ServerPlan(name, id, address + ":" + port, address, port, 100, ServerState.READY, null, options, null);
    }

    /** Every kind of server line: plain checked, TLS verified over IPv6, maxconn, backup, draining, maint. */
    static Plan typicalPlan(long generation, int port) {
        ServerOptions checked = ServerOptions.defaults();
        ServerOptions tls = new ServerOptions(0, true, true, true, 2000, 500, 2000, 2, 3, true, false);
        ServerOptions limited = new ServerOptions(50, true, false, true, 2000, 500, 2000, 2, 3, true, false);
        ServerOptions primary = new ServerOptions(0, false, false, true, 1000, 500, 1000, 2, 2, false, false);
        ServerOptions backup = new ServerOptions(0, false, false, true, 1000, 500, 1000, 2, 2, false, true);
        return Plan.of(generation, List.of(
                new BackendPlan("app", List.of(
                        server("a", 11, "127.0.0.1", port, checked),
                        server("b", 12, "::1", port, tls),
                        server("c", 13, "127.0.0.1", port + 1, limited),
                        server("d", 14, "127.0.0.1", port + 2, checked).withState(ServerState.DRAIN, Instant.EPOCH),
                        server("e", 15, "127.0.0.1", port + 3, checked).withState(ServerState.MAINT, null)), null),
                new BackendPlan("db", List.of(
                        server("p", 21, "127.0.0.1", port, primary),
                        server("q", 22, "127.0.0.1", port + 1, backup)), null)));
    }
}
