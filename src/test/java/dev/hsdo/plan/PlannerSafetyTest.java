package dev.hsdo.plan;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.FileSourceConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.CollidingIds;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the planner must never do to serving servers: read a never-read source as "no servers", let the guard
 * freeze additions and drains, or change an incumbent's id when a newcomer's natural id collides with it.
 */
class PlannerSafetyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Path DIR = Path.of("/tmp/hsdo-planner-safety");
    private final MutableClock clock = new MutableClock(T0);

    private static List<Endpoint> endpoints(int from, int to) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = from; i < to; i++) list.add(Endpoint.of("10.1.0." + (i + 1), 8080));
        return list;
    }

    private static SourceSnapshot ok(String source, List<Endpoint> eps) {
        return SourceSnapshot.ok(source, eps, List.of(), T0);
    }

    private Plan plan(Plan previous, HsdoConfig config, Map<String, SourceSnapshot> snaps, Set<String> overrides) {
        return Planner.plan(new PlanInput(previous, snaps, config, clock.instant(), overrides));
    }

    private static Map<String, ServerState> states(Plan p) {
        Map<String, ServerState> m = new HashMap<>();
        for (ServerPlan s : p.backend("app").servers()) m.put(s.identity(), s.state());
        return m;
    }

    /** Backend app fed by sources "servers" and "more". */
    private static HsdoConfig twoSources(double guard) {
        HsdoConfig c = Configs.standard(DIR, 8080, Duration.ofSeconds(10), guard);
        BackendConfig one = c.backends().getFirst();
        BackendConfig two = new BackendConfig(one.name(), one.mode(), one.balance(), one.hashType(), List.of("servers", "more"),
                one.healthCheck(), one.serverDefaults(), one.retries());
        List<dev.hsdo.config.SourceConfig> sources = List.of(c.sources().getFirst(), new FileSourceConfig("more", DIR.resolve("more.yaml")));
        return new HsdoConfig(c.haproxy(), c.frontends(), List.of(two), sources, c.reconcileInterval(), c.drainPeriod(),
                c.guard(), c.admin(), c.store(), c.fleet());
    }

    @Test
    void aNeverReadSourceLeavesTheBackendAsItWasEvenWithTheGuardOff() {
        HsdoConfig config = Configs.standard(DIR, 8080, Duration.ofSeconds(10), 1.0);
        Plan p1 = plan(Plan.empty(), config, Map.of("servers", ok("servers", endpoints(0, 4))), Set.of());
        clock.advance(Duration.ofSeconds(1));
        // hsdo restarted with the stored plan while the servers file cannot be read.
        Plan p2 = plan(p1, config, Map.of("servers", SourceSnapshot.neverRead("servers", "servers.yaml: file not found")), Set.of());
        assertThat(p2).isSameAs(p1);
        assertThat(p2.backend("app").servers()).hasSize(4).allMatch(s -> s.state() == ServerState.READY);
    }

    @Test
    void oneNeverReadSourceOfTwoLeavesTheBackendAsItWas() {
        HsdoConfig config = twoSources(1.0);
        Plan p1 = plan(Plan.empty(), config, Map.of("servers", ok("servers", endpoints(0, 2)), "more", ok("more", endpoints(2, 4))), Set.of());
        assertThat(p1.backend("app").servers()).hasSize(4);
        clock.advance(Duration.ofSeconds(1));
        // "servers" answers (one server fewer); "more" was never read since the restart.
        Plan p2 = plan(p1, config, Map.of("servers", ok("servers", endpoints(0, 1)),
                "more", SourceSnapshot.neverRead("more", "more.yaml: file not found")), Set.of());
        assertThat(p2).isSameAs(p1);

        // Once both were read, the removal goes through (drained).
        Plan p3 = plan(p2, config, Map.of("servers", ok("servers", endpoints(0, 1)), "more", ok("more", endpoints(2, 4))), Set.of());
        assertThat(states(p3)).containsEntry(endpoints(1, 2).getFirst().identity(), ServerState.DRAIN);
    }

    @Test
    void aFailingSourceWithItsLastGoodEndpointsIsNotFrozen() {
        HsdoConfig config = twoSources(1.0);
        Plan p1 = plan(Plan.empty(), config, Map.of("servers", ok("servers", endpoints(0, 2)), "more", ok("more", endpoints(2, 4))), Set.of());
        Plan p2 = plan(p1, config, Map.of("servers", ok("servers", endpoints(0, 3)),
                "more", ok("more", endpoints(2, 4)).failed("more.yaml: unreadable")), Set.of());
        assertThat(p2.backend("app").servers()).hasSize(4);
        assertThat(p2.generation()).isEqualTo(p1.generation());
    }

    @Test
    void anExpiredDrainEndsInAFrozenBackendButNothingElseChanges() {
        HsdoConfig config = Configs.standard(DIR, 8080, Duration.ofSeconds(10), 1.0);
        Plan p1 = plan(Plan.empty(), config, Map.of("servers", ok("servers", endpoints(0, 4))), Set.of());
        clock.advance(Duration.ofSeconds(1));
        Plan draining = plan(p1, config, Map.of("servers", ok("servers", endpoints(0, 3))), Set.of());
        String leaving = endpoints(3, 4).getFirst().identity();
        assertThat(states(draining)).containsEntry(leaving, ServerState.DRAIN);

        SourceSnapshot unread = SourceSnapshot.neverRead("servers", "servers.yaml: file not found");
        clock.advance(Duration.ofSeconds(5));
        assertThat(plan(draining, config, Map.of("servers", unread), Set.of())).as("drain not over yet").isSameAs(draining);
        clock.advance(Duration.ofSeconds(6));
        Plan after = plan(draining, config, Map.of("servers", unread), Set.of());
        assertThat(states(after)).doesNotContainKey(leaving).hasSize(3).containsValues(ServerState.READY);
        assertThat(after.generation()).isEqualTo(draining.generation() + 1);
    }

    @Test
    void whileTheGuardHoldsAnAddedServerServesAWeightChangeAppliesAndAnExpiredDrainIsDeleted() {
        HsdoConfig config = Configs.standard(DIR, 8080, Duration.ofSeconds(10), 0.5);
        List<Endpoint> six = endpoints(0, 6);
        Plan p1 = plan(Plan.empty(), config, Map.of("servers", ok("servers", six)), Set.of());
        clock.advance(Duration.ofSeconds(1));
        // One server leaves (1 of 6: allowed): it drains until T0+11s.
        Plan p2 = plan(p1, config, Map.of("servers", ok("servers", six.subList(0, 5))), Set.of());
        String drained = six.get(5).identity();
        assertThat(states(p2)).containsEntry(drained, ServerState.DRAIN);

        // Then the source loses 4 of 5 serving servers at once (held back), gains a new one and re-weights one;
        // meanwhile the drain's deadline passes.
        clock.advance(Duration.ofSeconds(11));
        Endpoint added = Endpoint.of("10.9.9.9", 8080);
        Endpoint reweighted = new Endpoint(null, six.get(0).address(), six.get(0).port(), 7, null, Map.of());
        Plan held = plan(p2, config, Map.of("servers", ok("servers", List.of(reweighted, added))), Set.of());
        BackendPlan app = held.backend("app");
        assertThat(app.heldBack()).contains("would remove 4 of 5 serving servers");
        Map<String, ServerState> st = states(held);
        assertThat(st).as("the added server serves").containsEntry(added.identity(), ServerState.READY);
        assertThat(st).as("the expired drain is deleted").doesNotContainKey(drained);
        for (Endpoint e : six.subList(1, 5))
            assertThat(st).as("held-back removal: still serving").containsEntry(e.identity(), ServerState.READY);
        assertThat(app.servers()).filteredOn(s -> s.identity().equals(reweighted.identity()))
                .singleElement().extracting(ServerPlan::weight).isEqualTo(7);
        // Held servers keep their ids and the newcomer takes a free one.
        Map<String, Integer> before = new HashMap<>();
        p2.backend("app").servers().forEach(s -> before.put(s.identity(), s.id()));
        app.servers().stream().filter(s -> before.containsKey(s.identity()))
                .forEach(s -> assertThat(s.id()).isEqualTo(before.get(s.identity())));
    }

    @Test
    void aNewcomerWhoseNaturalIdCollidesWithAnIncumbentsNeverChangesTheIncumbentsId() {
        HsdoConfig config = Configs.standard(DIR, 8080, Duration.ofSeconds(10), 0.5);
        List<String> pair = CollidingIds.pair("node-");
        String first = pair.get(0), incumbent = pair.get(1);
        int natural = ServerIds.natural(incumbent, 0);
        assertThat(ServerIds.natural(first, 0)).isEqualTo(natural);
        Endpoint serving = new Endpoint(incumbent, "10.2.0.1", 8080, null, null, Map.of());
        Endpoint newcomer = new Endpoint(first, "10.2.0.2", 8080, null, null, Map.of());

        Plan p1 = plan(Plan.empty(), config, Map.of("servers", ok("servers", List.of(serving))), Set.of());
        assertThat(p1.backend("app").servers()).singleElement().extracting(ServerPlan::id).isEqualTo(natural);

        Plan p2 = plan(p1, config, Map.of("servers", ok("servers", List.of(serving, newcomer))), Set.of());
        Map<String, ServerPlan> byIdentity = new HashMap<>();
        p2.backend("app").servers().forEach(s -> byIdentity.put(s.identity(), s));
        assertThat(byIdentity.get(incumbent).id()).as("the incumbent keeps its id").isEqualTo(natural);
        assertThat(byIdentity.get(incumbent).state()).isEqualTo(ServerState.READY);
        assertThat(byIdentity.get(first).id()).as("the newcomer probes").isNotEqualTo(natural)
                .isEqualTo(ServerIds.natural(first, 1));

        // And the pair keeps these ids for as long as both stay, whatever else changes.
        Plan p3 = plan(p2, config, Map.of("servers", ok("servers", List.of(serving, newcomer, Endpoint.of("10.2.0.3", 80)))), Set.of());
        p3.backend("app").servers().stream().filter(s -> byIdentity.containsKey(s.identity()))
                .forEach(s -> assertThat(s.id()).isEqualTo(byIdentity.get(s.identity()).id()));
    }
}
