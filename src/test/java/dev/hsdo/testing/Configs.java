package dev.hsdo.testing;

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
import dev.hsdo.config.SlowStartConfig;
import dev.hsdo.config.StoreConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Small configurations for tests that do not go through the YAML loader. */
public final class Configs {
    private Configs() {}

    /** One http frontend on {@code frontendPort} to backend {@code app} (balance uri, consistent) fed by source {@code servers}. */
    public static HsdoConfig standard(Path dir, int frontendPort, Duration drain, double guard) {
        // In-process tests stop HAProxy with hsdo (close()), so that nothing outlives them.
        HaproxySettings hp = new HaproxySettings("haproxy", dir.resolve("run"), 1000, 1, null, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5), true);
        HealthCheck hc = new HealthCheck(true, "GET", "/", Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(2), 2, 3, Duration.ofMillis(500));
        BackendConfig be = new BackendConfig("app", Mode.HTTP, "uri", "consistent", List.of("servers"), hc,
                new ServerDefaults(100, 0, false, false), 3);
        return new HsdoConfig(hp, List.of(new FrontendConfig("fe", "127.0.0.1:" + frontendPort, Mode.HTTP, "app")),
                List.of(be), List.of(new FileSourceConfig("servers", dir.resolve("servers.yaml"))),
                Duration.ofSeconds(1), drain, new GuardConfig(guard), new AdminConfig(null, null),
                new StoreConfig("file", dir.resolve("state/plan.json")));
    }

    /** {@code c} with its backends replaced by {@code backends}. */
    public static HsdoConfig withBackends(HsdoConfig c, List<BackendConfig> backends) {
        return new HsdoConfig(c.haproxy(), c.frontends(), backends, c.sources(), c.reconcileInterval(), c.drainPeriod(),
                c.guard(), c.admin(), c.store(), c.fleet());
    }

    /** {@code b} with slow start {@code slowStart}. */
    public static BackendConfig withSlowStart(BackendConfig b, SlowStartConfig slowStart) {
        return b.withSlowStart(slowStart);
    }
}
