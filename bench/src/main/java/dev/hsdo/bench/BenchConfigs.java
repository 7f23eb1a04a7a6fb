package dev.hsdo.bench;

import dev.hsdo.config.AdminConfig;
import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.FileSourceConfig;
import dev.hsdo.config.FrontendConfig;
import dev.hsdo.config.GuardConfig;
import dev.hsdo.config.HaproxySettings;
import dev.hsdo.config.HealthCheck;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.Mode;
import dev.hsdo.config.ServerDefaults;
import dev.hsdo.config.StoreConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A configuration built in code, like the tests' {@code Configs} (test code is not on this classpath):
 * one http frontend to backend {@code app} (balance uri, consistent) fed by source {@code servers}.
 * The planner only reads it, so the paths in it are never touched.
 */
final class BenchConfigs {
    static final String BACKEND = "app";
    static final String SOURCE = "servers";

    private BenchConfigs() {}

    /** The tests' standard configuration: weight 100, health checks on. */
    static HsdoConfig standard(Path dir, int frontendPort, Duration drain, double guard) {
        return of(dir, frontendPort, drain, guard, 100, true);
    }

    /** The same with another default server weight, with or without health checks. */
    static HsdoConfig of(Path dir, int frontendPort, Duration drain, double guard, int weight, boolean checks) {
        HaproxySettings hp = new HaproxySettings("haproxy", dir.resolve("run"), 1000, 1, null, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5));
        HealthCheck hc = new HealthCheck(checks, "GET", "/", Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(2), 2, 3, Duration.ofMillis(500));
        BackendConfig be = new BackendConfig(BACKEND, Mode.HTTP, "uri", "consistent", List.of(SOURCE), hc,
                new ServerDefaults(weight, 0, false, false), 3);
        return new HsdoConfig(hp, List.of(new FrontendConfig("fe", "127.0.0.1:" + frontendPort, Mode.HTTP, BACKEND)),
                List.of(be), List.of(new FileSourceConfig(SOURCE, dir.resolve("servers.yaml"))),
                Duration.ofSeconds(1), drain, new GuardConfig(guard), new AdminConfig(null, null),
                new StoreConfig("file", dir.resolve("state/plan.json")));
    }
}
