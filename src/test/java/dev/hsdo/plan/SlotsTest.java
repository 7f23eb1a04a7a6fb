package dev.hsdo.plan;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.SlotsConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Configs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller's slot assignment for {@code server-template} backends. */
class SlotsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HsdoConfig config(Duration drain) {
        HsdoConfig c = Configs.standard(Path.of("/tmp/x"), 8080, drain, 1.0);
        BackendConfig b = c.backend("app");
        return Configs.withBackends(c, List.of(b.withSlots(new SlotsConfig(4, "srv"))));
    }

    private static Plan plan(Plan previous, List<Integer> hosts, HsdoConfig cfg, Instant now) {
        List<Endpoint> eps = new java.util.ArrayList<>(hosts.stream().map(h -> Endpoint.of("10.0.0." + h, 80)).toList());
        Collections.reverse(eps);
        SourceSnapshot snap = SourceSnapshot.ok("servers", eps, List.of(), now);
        return Planner.plan(new PlanInput(previous, Map.of("servers", snap), cfg, now, Set.of()));
    }

    /** Slot name → host number, for the servers that are ready. */
    private static Map<String, Integer> slots(Plan p) {
        Map<String, Integer> out = new TreeMap<>();
        for (ServerPlan s : p.backend("app").servers())
            out.put(s.name() + (s.state() == ServerState.READY ? "" : "(" + s.state().word() + ")"),
                    Integer.parseInt(s.address().substring("10.0.0.".length())));
        return out;
    }

    @Test
    void serversKeepTheirSlotAndNewOnesTakeTheLowestFree() {
        HsdoConfig cfg = config(Duration.ZERO);
        Plan p = plan(Plan.empty(), List.of(1, 2, 3), cfg, T0);
        assertThat(slots(p)).isEqualTo(Map.of("srv1", 1, "srv2", 2, "srv3", 3));
        assertThat(p.backend("app").server("srv2").id()).isEqualTo(2);

        p = plan(p, List.of(1, 3, 4, 5), cfg, T0);
        assertThat(slots(p)).as("4 takes the slot 2 left, 5 the next free one")
                .isEqualTo(Map.of("srv1", 1, "srv2", 4, "srv3", 3, "srv4", 5));
        assertThat(p.backend("app").heldBack()).isNull();
    }

    @Test
    void moreEndpointsThanSlotsIsReportedNamingTheOnesLeftOutAndTheRestStaysInPlace() {
        HsdoConfig cfg = config(Duration.ZERO);
        Plan p = plan(Plan.empty(), List.of(1, 2, 3, 4), cfg, T0);
        p = plan(p, List.of(1, 2, 3, 4, 5, 6), cfg, T0);
        assertThat(slots(p)).isEqualTo(Map.of("srv1", 1, "srv2", 2, "srv3", 3, "srv4", 4));
        assertThat(p.backend("app").heldBack())
                .isEqualTo("2 endpoints do not fit in 4 slots and are not served: 10.0.0.5:80, 10.0.0.6:80");

        p = plan(p, List.of(1, 3, 4, 5, 6), cfg, T0);
        assertThat(slots(p).get("srv2")).as("the freed slot goes to the first one left out").isEqualTo(5);
        assertThat(p.backend("app").heldBack()).contains("1 endpoints do not fit").contains("10.0.0.6:80");
    }

    @Test
    void aDrainingServerKeepsItsSlotUntilTheDrainEnds() {
        HsdoConfig cfg = config(Duration.ofSeconds(10));
        Plan p = plan(Plan.empty(), List.of(1, 2, 3, 4), cfg, T0);
        p = plan(p, List.of(1, 3, 4, 5), cfg, T0);
        assertThat(slots(p)).containsEntry("srv2(drain)", 2).doesNotContainValue(5);
        assertThat(p.backend("app").heldBack()).contains("10.0.0.5:80");
        p = plan(p, List.of(1, 3, 4, 5), cfg, T0.plusSeconds(11));
        assertThat(slots(p)).containsEntry("srv2", 5);
        assertThat(p.backend("app").heldBack()).isNull();
    }
}
