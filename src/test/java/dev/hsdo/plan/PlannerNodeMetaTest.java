package dev.hsdo.plan;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.ServerDefaults;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.Selector;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Configs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Endpoint metadata in the planner: per-node options and capability selectors. */
class PlannerNodeMetaTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final HsdoConfig config = Configs.standard(Path.of("/tmp/x"), 8080, Duration.ofSeconds(10), 0.5);

    private ServerPlan server(Endpoint e) {
        SourceSnapshot snap = SourceSnapshot.ok("servers", List.of(e), List.of(), T0);
        Plan p = Planner.plan(new PlanInput(Plan.empty(), Map.of("servers", snap), config, T0, Set.of()));
        return p.backend("app").servers().getFirst();
    }

    @Test
    void metadataOptionsReachTheServerPlan() {
        ServerPlan s = server(new Endpoint(null, "10.0.0.1", 80, null, null,
                Map.of("hsdo.weight", "30", "hsdo.maxconn", "7", "hsdo.ssl", "true", "hsdo.backup", "true")));
        assertThat(s.weight()).isEqualTo(30);
        assertThat(s.options().maxconn()).isEqualTo(7);
        assertThat(s.options().ssl()).isTrue();
        assertThat(s.options().backup()).isTrue();
    }

    @Test
    void anEndpointsOwnWeightWinsOverItsMetadataWhichWinsOverTheBackendDefault() {
        assertThat(server(new Endpoint(null, "10.0.0.1", 80, 5, null, Map.of("hsdo.weight", "30"))).weight()).isEqualTo(5);
        assertThat(server(new Endpoint(null, "10.0.0.1", 80, null, null, Map.of("hsdo.weight", "30"))).weight()).isEqualTo(30);
        assertThat(server(Endpoint.of("10.0.0.1", 80)).weight()).isEqualTo(100);
    }

    @Test
    void aBackendWithASelectorTakesOnlyTheMatchingEndpointsWithItsOwnLimit() {
        BackendConfig all = config.backends().getFirst();
        BackendConfig pow = new BackendConfig("pow", all.mode(), "leastconn", null, all.sources(), all.healthCheck(),
                new ServerDefaults(100, 2, false, false), all.retries(), Selector.parse("pow=true"), null, null);
        HsdoConfig twoBackends = new HsdoConfig(config.haproxy(), config.frontends(), List.of(all, pow), config.sources(),
                config.reconcileInterval(), config.drainPeriod(), config.guard(), config.admin(), config.store());
        List<Endpoint> eps = List.of(
                new Endpoint(null, "10.0.0.1", 80, null, null, Map.of("pow", "true", "hsdo.maxconn", "50")),
                new Endpoint(null, "10.0.0.2", 80, null, null, Map.of("pow", "false")),
                Endpoint.of("10.0.0.3", 80));
        SourceSnapshot snap = SourceSnapshot.ok("servers", eps, List.of(), T0);
        Plan p = Planner.plan(new PlanInput(Plan.empty(), Map.of("servers", snap), twoBackends, T0, Set.of()));
        assertThat(p.backend("app").servers()).hasSize(3);
        assertThat(p.backend("app").server("10.0.0.1:80").options().maxconn()).isEqualTo(50);
        assertThat(p.backend("pow").servers()).singleElement().satisfies(s -> {
            assertThat(s.identity()).isEqualTo("10.0.0.1:80");
            assertThat(s.options().maxconn()).as("the backend's limit holds against the node's higher one").isEqualTo(2);
        });
    }

    @Test
    void changingAnOptionChangesThePlanButNotTheServersIdentity() {
        ServerPlan before = server(new Endpoint(null, "10.0.0.1", 80, null, null, Map.of("hsdo.maxconn", "7")));
        ServerPlan after = server(new Endpoint(null, "10.0.0.1", 80, null, null, Map.of("hsdo.maxconn", "9")));
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.name()).isEqualTo(before.name());
        assertThat(Plan.canonical(List.of(new dev.hsdo.model.BackendPlan("app", List.of(after), null))))
                .isNotEqualTo(Plan.canonical(List.of(new dev.hsdo.model.BackendPlan("app", List.of(before), null))));
    }
}
