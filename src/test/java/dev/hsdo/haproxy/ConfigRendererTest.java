package dev.hsdo.haproxy;

import static dev.hsdo.haproxy.RenderFixtures.goldenConfig;
import static dev.hsdo.haproxy.RenderFixtures.typicalPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.FrontendConfig;
import dev.hsdo.config.HaproxySettings;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigRendererTest {
    private static final RuntimePaths PATHS = RuntimePaths.in(Path.of("/run/hsdo"));

    @Test
    void typicalConfigMatchesTheGoldenFile() throws IOException {
        String golden;
        try (InputStream in = getClass().getResourceAsStream("golden-haproxy.cfg")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(ConfigRenderer.render(goldenConfig(), typicalPlan(7, 8080), PATHS)).isEqualTo(golden);
    }

    @Test
    void sameInputsGiveTheSameTextWhateverTheOrderTheServersCameIn() {
        Plan plan = typicalPlan(7, 8080);
        BackendPlan app = plan.backend("app");
        Plan reordered = Plan.of(7, List.of(plan.backend("db"),
                new BackendPlan("app", app.servers().reversed(), null)));
        assertThat(ConfigRenderer.render(goldenConfig(), reordered, PATHS))
                .isEqualTo(ConfigRenderer.render(goldenConfig(), plan, PATHS));
    }

    @Test
    void frontendHandsOverToTheFallbackWhileItsBackendHasNoUsableServer() {
        HsdoConfig c = goldenConfig();
        BackendConfig app = c.backend("app");
        BackendConfig zoned = app.withZone("app", dev.hsdo.config.ZoneAffinity.LOCAL, "app-other");
        BackendConfig other = app.withZone("app-other", dev.hsdo.config.ZoneAffinity.OTHER, null);
        HsdoConfig withFallback = new HsdoConfig(c.haproxy(), c.frontends(), List.of(zoned, other, c.backend("db")),
                c.sources(), c.reconcileInterval(), c.drainPeriod(), c.guard(), c.admin(), c.store());
        String text = ConfigRenderer.render(withFallback, Plan.empty(), PATHS);
        assertThat(text).contains("  use_backend app-other if { nbsrv(app) lt 1 }\n  default_backend app\n");
        assertThat(text).containsOnlyOnce("use_backend");
    }

    @Test
    void headerNamesThePlanGenerationAndDigest() {
        Plan plan = typicalPlan(7, 8080);
        assertThat(ConfigRenderer.render(goldenConfig(), plan, PATHS))
                .startsWith("# rendered by hsdo from plan generation 7 digest " + plan.digest() + "\n");
    }

    @Test
    void serverChangesLeaveTheSkeletonDigestAlone() {
        String before = ConfigRenderer.render(goldenConfig(), typicalPlan(7, 8080), PATHS);
        String after = ConfigRenderer.render(goldenConfig(), typicalPlan(8, 9090), PATHS);
        assertThat(after).isNotEqualTo(before);
        assertThat(ConfigRenderer.skeletonDigest(after)).isEqualTo(ConfigRenderer.skeletonDigest(before));
        assertThat(ConfigRenderer.skeleton(after)).doesNotContain("\n  server ", "# rendered").contains("backend app");
    }

    @Test
    void anythingButServersChangesTheSkeletonDigest() {
        HsdoConfig config = goldenConfig();
        HaproxySettings h = config.haproxy();
        HaproxySettings slower = new HaproxySettings(h.binary(), h.runtimeDir(), h.maxconn(), h.threads(), h.log(),
                h.statsBind(), h.healthBind(), h.timeoutConnect(), h.timeoutClient(), Duration.ofSeconds(5),
                h.hardStopAfter());
        HsdoConfig changed = withSettings(config, slower);
        Plan plan = typicalPlan(7, 8080);
        assertThat(ConfigRenderer.skeletonDigest(ConfigRenderer.render(changed, plan, PATHS)))
                .isNotEqualTo(ConfigRenderer.skeletonDigest(ConfigRenderer.render(config, plan, PATHS)));
    }

    @Test
    void tcpBackendGetsNoHttpOptions() {
        String text = ConfigRenderer.render(goldenConfig(), typicalPlan(7, 8080), PATHS);
        String db = text.substring(text.indexOf("\nbackend db"));
        assertThat(db).contains("mode tcp", "balance roundrobin", "retries 3", "timeout check 500ms")
                .doesNotContain("httpchk", "retry-on", "http-request", "hash-type");
    }

    @Test
    void withoutLogTargetNoLogLinesAreRendered() {
        HaproxySettings h = goldenConfig().haproxy();
        HaproxySettings quiet = new HaproxySettings(h.binary(), h.runtimeDir(), h.maxconn(), h.threads(), null,
                null, null, h.timeoutConnect(), h.timeoutClient(), h.timeoutServer(), h.hardStopAfter());
        String text = ConfigRenderer.render(withSettings(goldenConfig(), quiet), Plan.empty(), PATHS);
        assertThat(text).doesNotContain("log", "hsdo-stats", "hsdo-health");
    }

    @Test
    void planBackendMissingFromConfigIsRefused() {
        Plan plan = Plan.of(3, List.of(new BackendPlan("ghost", List.of(), null)));
        assertThatThrownBy(() -> ConfigRenderer.render(goldenConfig(), plan, PATHS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:80\n  stats enable", "127.0.0.1:80\r", "127.0.0.1:80 # comment", "127.0.0.1:80\u0000"})
    void bindWithLineBreakingCharacterIsRefused(String bind) {
        HsdoConfig bad = withFrontend(goldenConfig(), f -> new FrontendConfig(f.name(), bind, f.mode(), f.defaultBackend()));
        assertThatThrownBy(() -> ConfigRenderer.render(bad, Plan.empty(), PATHS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frontends[web].bind");
    }

    @Test
    void logTargetWithNewlineIsRefusedNamingTheKey() {
        HaproxySettings h = goldenConfig().haproxy();
        HaproxySettings bad = new HaproxySettings(h.binary(), h.runtimeDir(), h.maxconn(), h.threads(),
                "stdout\nglobal", h.statsBind(), h.healthBind(), h.timeoutConnect(), h.timeoutClient(),
                h.timeoutServer(), h.hardStopAfter());
        assertThatThrownBy(() -> ConfigRenderer.render(withSettings(goldenConfig(), bad), Plan.empty(), PATHS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("haproxy.log").hasMessageContaining("\\n");
    }

    @Test
    void checkPathWithSpaceIsRefused() {
        HsdoConfig config = goldenConfig();
        BackendConfig app = config.backend("app");
        var hc = app.healthCheck();
        BackendConfig bad = new BackendConfig(app.name(), app.mode(), app.balance(), app.hashType(), app.sources(),
                new dev.hsdo.config.HealthCheck(true, "GET", "/ HTTP/1.1\\r\\nHost:", hc.inter(), hc.fastinter(),
                        hc.downinter(), hc.rise(), hc.fall(), hc.timeout()),
                app.serverDefaults(), app.retries());
        HsdoConfig withBad = new HsdoConfig(config.haproxy(), config.frontends(), List.of(bad, config.backend("db")),
                config.sources(), config.reconcileInterval(), config.drainPeriod(), config.guard(), config.admin(),
                config.store());
        assertThatThrownBy(() -> ConfigRenderer.render(withBad, Plan.empty(), PATHS))
                .hasMessageContaining("backends[app].healthCheck.path");
    }

    @Test
    void durationsUseSecondsWhenWholeAndMillisecondsOtherwise() {
        assertThat(ConfigRenderer.duration("x", Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(ConfigRenderer.duration("x", Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> ConfigRenderer.duration("haproxy.timeoutServer", Duration.ZERO))
                .hasMessageContaining("haproxy.timeoutServer");
    }

    @Test
    void socketPathLongerThanHaproxyAcceptsIsRefused() {
        assertThatThrownBy(() -> RuntimePaths.in(Path.of("/tmp/" + "d".repeat(90))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 97");
    }

    private static HsdoConfig withSettings(HsdoConfig c, HaproxySettings h) {
        return new HsdoConfig(h, c.frontends(), c.backends(), c.sources(), c.reconcileInterval(), c.drainPeriod(),
                c.guard(), c.admin(), c.store());
    }

    private static HsdoConfig withFrontend(HsdoConfig c, UnaryOperator<FrontendConfig> change) {
        List<FrontendConfig> fronts = c.frontends().stream().map(f -> f.name().equals("web") ? change.apply(f) : f).toList();
        return new HsdoConfig(c.haproxy(), fronts, c.backends(), c.sources(), c.reconcileInterval(), c.drainPeriod(),
                c.guard(), c.admin(), c.store());
    }

}
