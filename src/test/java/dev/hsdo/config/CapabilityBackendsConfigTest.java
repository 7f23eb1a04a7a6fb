package dev.hsdo.config;

import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.Selector;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Backends that select endpoints by metadata, with their own limits, and frontend rules routing to them. */
class CapabilityBackendsConfigTest {
    private static final Path BASE = Path.of("/etc/hsdo");
    private static final String TWO_BACKENDS = """
            frontends:
              - name: fe
                bind: 127.0.0.1:8080
                default-backend: app
                use-backends:
            %s
            backends:
              - {name: app}
              - name: pow
                select: "pow=true,!draining"
                server-defaults: {maxconn: 2}
                timeout-queue: 30s
                timeout-server: 2m
            sources:
              - {name: servers, path: servers.yaml}
            """;

    /** The rules as YAML list entries under use-backends. */
    private static String rules(String... entries) {
        return String.join("\n", java.util.Arrays.stream(entries).map(e -> "      - " + e).toList());
    }

    private static HsdoConfig parse(String rules) {
        return ConfigLoader.parse(TWO_BACKENDS.formatted(rules), BASE, Map.of(), "hsdo.yaml");
    }

    private static List<String> errors(String rules) {
        try {
            parse(rules);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void selectorLimitsAndRulesAreRead() {
        HsdoConfig c = parse(rules("{backend: pow, if-path-beg: /pow}", "{backend: pow, if-header: {name: X-Kind, value: pow}}"));
        BackendConfig pow = c.backend("pow");
        assertThat(pow.select()).isEqualTo(Selector.parse("pow=true,!draining"));
        assertThat(pow.queueTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pow.serverTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(pow.serverDefaults().maxconn()).isEqualTo(2);
        assertThat(c.backend("app").select()).isNull();
        assertThat(c.frontends().getFirst().useBackends()).containsExactly(
                new UseBackend("pow", "/pow", null, null), new UseBackend("pow", null, "X-Kind", "pow"));
    }

    @Test
    void rulesRenderBeforeTheDefaultBackendAndLimitsInTheBackend() {
        HsdoConfig c = parse(rules("{backend: pow, if-path-beg: /pow}", "{backend: pow, if-header: {name: X-Kind, value: pow}}"));
        String cfg = ConfigRenderer.render(c, Plan.of(1, List.of(new BackendPlan("app", List.of(), null),
                new BackendPlan("pow", List.of(), null))), RuntimePaths.in(Path.of("/run/hsdo")));
        assertThat(cfg).contains("""
                  use_backend pow if { path_beg /pow }
                  use_backend pow if { req.hdr(X-Kind) -m str pow }
                  default_backend app
                """);
        String pow = cfg.substring(cfg.indexOf("\nbackend pow\n"));
        assertThat(pow).contains("  timeout queue 30s\n", "  timeout server 120s\n");
        assertThat(cfg.substring(cfg.indexOf("\nbackend app\n"), cfg.indexOf("\nbackend pow\n"))).doesNotContain("timeout queue");
    }

    @Test
    void ruleMistakesAreNamedWithTheirKeyAndNothingUnsafeGetsThrough() {
        assertThat(errors(rules("{backend: nope, if-path-beg: /pow}",
                "{backend: pow}",
                "{backend: pow, if-path-beg: \"/pow }; acl x\", if-header: {name: a, value: b}}",
                "{backend: pow, if-path-beg: \"/pow }\"}",
                "{backend: pow, if-header: {name: \"X-Kind)\", value: \"a b\"}}",
                "{backend: pow, if-host: x}"))).containsExactly(
                "hsdo.yaml: frontends[0].use-backends[0].backend: unknown backend 'nope' (defined: app, pow)",
                "hsdo.yaml: frontends[0].use-backends[1]: exactly one of if-path-beg or if-header is needed",
                "hsdo.yaml: frontends[0].use-backends[2]: exactly one of if-path-beg or if-header is needed",
                "hsdo.yaml: frontends[0].use-backends[3].if-path-beg: invalid value '/pow }' (starts with '/'; letters, digits and . _ ~ % / : @ + = -)",
                "hsdo.yaml: frontends[0].use-backends[4].if-header.name: invalid value 'X-Kind)' (letters, digits, '-', '_')",
                "hsdo.yaml: frontends[0].use-backends[4].if-header.value: invalid value 'a b' (letters, digits and . _ ~ : / = + -)",
                "hsdo.yaml: frontends[0].use-backends[5]: unknown key 'if-host' (allowed: backend, if-path-beg, if-header)",
                "hsdo.yaml: frontends[0].use-backends[5]: exactly one of if-path-beg or if-header is needed");
    }

    @Test
    void aBadSelectorIsNamedWithItsKey() {
        String yaml = TWO_BACKENDS.formatted(rules("{backend: pow, if-path-beg: /pow}")).replace("pow=true,!draining", "pow=a b");
        try {
            ConfigLoader.parse(yaml, BASE, Map.of(), "hsdo.yaml");
            throw new AssertionError("expected a ConfigException");
        } catch (ConfigException e) {
            assertThat(e.errors()).containsExactly(
                    "hsdo.yaml: backends[1].select: selector value: invalid value 'a b' (printable, no space, ';', '#', quotes)");
        }
    }

    @Test
    void theIriLbExampleLoadsAndRoutesPowRequestsToItsLimitedBackend() {
        HsdoConfig c = ConfigLoader.load(Path.of("examples/iri-lb.yaml"), Map.of());
        assertThat(c.backend("pow").select()).isEqualTo(Selector.parse("pow=true"));
        assertThat(c.backend("pow").serverDefaults().maxconn()).isEqualTo(2);
        assertThat(c.frontends().getFirst().useBackends()).extracting(UseBackend::backend).containsOnly("pow");
        assertThat(c.sources().getFirst()).isInstanceOf(ConsulSourceConfig.class);
    }
}
