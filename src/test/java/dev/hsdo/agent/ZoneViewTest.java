package dev.hsdo.agent;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.ZoneAffinity;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerOptions;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import dev.hsdo.testing.Configs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneViewTest {
    private static BackendConfig backend(BackendConfig like, String name, ZoneAffinity zone, String fallback) {
        return like.withZone(name, zone, fallback);
    }

    private static final HsdoConfig CONFIG;

    static {
        HsdoConfig c = Configs.standard(Path.of("/tmp/x"), 8080, Duration.ZERO, 1.0);
        BackendConfig app = c.backend("app");
        CONFIG = Configs.withBackends(c, List.of(backend(app, "app", ZoneAffinity.LOCAL, "other"),
                backend(app, "other", ZoneAffinity.OTHER, null), backend(app, "every", ZoneAffinity.ALL, null)));
    }

    private static ServerPlan server(int id, String zone) {
        return new ServerPlan("s" + id, id, "s" + id, "10.0.0." + id, 80, 100, ServerState.READY, zone,
                ServerOptions.defaults(), null);
    }

    private static final List<ServerPlan> SERVERS = List.of(server(1, "a"), server(2, "a"), server(3, "b"), server(4, null));
    private static final Plan PLAN = Plan.of(5, List.of(new BackendPlan("app", SERVERS, null),
            new BackendPlan("other", SERVERS, null), new BackendPlan("every", SERVERS, null)));

    private static List<Integer> ids(Plan p, String backend) {
        return p.backend(backend).servers().stream().map(ServerPlan::id).toList();
    }

    @Test
    void localBackendTakesTheAgentsZoneAndOtherBackendTheRestKeepingIds() {
        Plan view = ZoneView.of(PLAN, CONFIG, "a");
        assertThat(ids(view, "app")).containsExactly(1, 2);
        assertThat(ids(view, "other")).containsExactly(3, 4);
        assertThat(ids(view, "every")).containsExactly(1, 2, 3, 4);
        assertThat(view.generation()).isEqualTo(5);

        Plan b = ZoneView.of(PLAN, CONFIG, "b");
        assertThat(ids(b, "app")).containsExactly(3);
        assertThat(ids(b, "other")).containsExactly(1, 2, 4);
    }

    @Test
    void anAgentWithoutAZoneCountsEveryServerAsLocal() {
        Plan view = ZoneView.of(PLAN, CONFIG, null);
        assertThat(ids(view, "app")).containsExactly(1, 2, 3, 4);
        assertThat(ids(view, "other")).isEmpty();
    }

    @Test
    void aPlanWithoutZoneAffinityIsReturnedAsIs() {
        Plan plain = Plan.of(3, List.of(new BackendPlan("every", SERVERS, null)));
        assertThat(ZoneView.of(plain, CONFIG, "a")).isSameAs(plain);
    }
}
