package dev.hsdo.plan;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Configs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which server of an active/backup backend is planned active, the same on every instance. */
class ActiveBackupPlanTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final HsdoConfig config;

    ActiveBackupPlanTest() {
        HsdoConfig c = Configs.standard(Path.of("/tmp/x"), 8080, Duration.ofSeconds(10), 0.5);
        BackendConfig b = c.backend("app");
        config = Configs.withBackends(c, List.of(new BackendConfig(b.name(), b.mode(), b.balance(), b.hashType(),
                b.sources(), b.healthCheck(), b.serverDefaults(), b.retries(), null, null, null, null, null, null, null, true)));
    }

    private Plan plan(Plan previous, List<Endpoint> eps) {
        SourceSnapshot snap = SourceSnapshot.ok("servers", eps, List.of(), T0);
        return Planner.plan(new PlanInput(previous, Map.of("servers", snap), config, T0, Set.of()));
    }

    private static List<String> active(BackendPlan b) {
        return b.servers().stream().filter(s -> !s.options().backup()).map(ServerPlan::name).toList();
    }

    private static Endpoint ep(String name, int port, Map<String, String> meta, boolean srvBackup) {
        return new Endpoint(name, "10.0.0.1", port, null, null, meta, srvBackup);
    }

    @Test
    void theLowestPriorityThenTheSrvPriorityThenTheNameIsActiveWhateverTheDiscoveryOrder() {
        List<Endpoint> eps = new ArrayList<>(List.of(
                ep("n1", 1, Map.of(), false),
                ep("n2", 2, Map.of("hsdo.priority", "20"), true),
                ep("n3", 3, Map.of("hsdo.priority", "20"), false),
                ep("n4", 4, Map.of("hsdo.priority", "500"), false)));
        for (int i = 0; i < 4; i++) {
            Collections.rotate(eps, 1);
            BackendPlan b = plan(Plan.empty(), eps).backend("app");
            assertThat(active(b)).containsExactly("n3");
            assertThat(b.servers()).allMatch(s -> s.options().shutdownOnDown());
        }
        assertThat(active(plan(Plan.empty(), List.of(ep("b", 1, Map.of(), false), ep("a", 2, Map.of(), false))).backend("app")))
                .containsExactly("a");
    }

    @Test
    void aServerKeepsTheRoleItWasAddedWithSoThatNoServerIsReAddedAndCutWhenTheFirstOneLeaves() {
        Plan first = plan(Plan.empty(), List.of(ep("a", 1, Map.of(), false), ep("b", 2, Map.of(), false)));
        assertThat(active(first.backend("app"))).containsExactly("a");
        Plan aGone = plan(first, List.of(ep("b", 2, Map.of(), false)));
        ServerPlan b = aGone.backend("app").server("b");
        assertThat(b.options().backup()).isTrue();
        assertThat(b).isSameAs(first.backend("app").server("b"));
    }
}
