package dev.hsdo.plan;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.ServerState;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Configs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlannerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final HsdoConfig config = Configs.standard(Path.of("/tmp/x"), 8080, Duration.ofSeconds(10), 0.5);

    private static List<Endpoint> endpoints(int n) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(Endpoint.of("10.0." + (i / 250) + "." + (i % 250 + 1), 8000 + i % 7));
        return list;
    }

    private Plan plan(Plan previous, List<Endpoint> eps, Instant now, Set<String> overrides) {
        return plan(previous, eps, now, overrides, config);
    }

    private static Plan plan(Plan previous, List<Endpoint> eps, Instant now, Set<String> overrides, HsdoConfig cfg) {
        SourceSnapshot snap = SourceSnapshot.ok("servers", eps, List.of(), now);
        return Planner.plan(new PlanInput(previous, Map.of("servers", snap), cfg, now, overrides));
    }

    private Plan plan(Plan previous, List<Endpoint> eps, Instant now) {
        return plan(previous, eps, now, Set.of());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99991})
    void sameEndpointsInAnyOrderGiveAByteIdenticalPlan(long seed) {
        List<Endpoint> eps = endpoints(300);
        List<Endpoint> shuffled = new ArrayList<>(eps);
        Collections.shuffle(shuffled, new Random(seed));
        Plan a = plan(Plan.empty(), eps, T0);
        Plan b = plan(Plan.empty(), shuffled, T0.plusSeconds(seed));
        assertThat(Plan.canonical(b.backends())).isEqualTo(Plan.canonical(a.backends()));
        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(b.generation()).isEqualTo(a.generation()).isEqualTo(1);
    }

    @Test
    void idsStayInTheRangeWhereRingPointsNeverAlias() {
        Plan p = plan(Plan.empty(), endpoints(2000), T0);
        assertThat(p.backend("app").servers()).allSatisfy(s -> assertThat(s.id()).isBetween(1, ServerIds.MAX_ID));
    }

    @Test
    void collidingIdentitiesGetDistinctIdsWhateverTheirOrder() {
        // Find two identities whose natural ids collide: the birthday bound makes this quick.
        Map<Integer, String> seen = new HashMap<>();
        String first = null, second = null;
        for (int i = 0; first == null; i++) {
            String identity = "node-" + i;
            String other = seen.putIfAbsent(ServerIds.natural(identity, 0), identity);
            if (other != null) { first = other; second = identity; }
        }
        String lower = first.compareTo(second) < 0 ? first : second;
        String higher = lower.equals(first) ? second : first;
        Map<String, Integer> ab = ServerIds.assign(List.of(first, second));
        Map<String, Integer> ba = ServerIds.assign(List.of(second, first));
        assertThat(ab).isEqualTo(ba);
        assertThat(ab.get(lower)).isEqualTo(ServerIds.natural(lower, 0));
        assertThat(ab.get(higher)).isNotEqualTo(ab.get(lower));
    }

    @Test
    void removingOneEndpointChangesNoOtherServersId() {
        List<Endpoint> eps = endpoints(50);
        Plan before = plan(Plan.empty(), eps, T0);
        Plan after = plan(Plan.empty(), eps.subList(1, 50), T0);
        Map<String, Integer> idsBefore = before.backend("app").servers().stream()
                .collect(Collectors.toMap(ServerPlan::identity, ServerPlan::id));
        after.backend("app").servers().forEach(s -> assertThat(s.id()).isEqualTo(idsBefore.get(s.identity())));
    }

    @Test
    void unchangedInputKeepsTheGenerationAndAChangeBumpsItByOne() {
        Plan p1 = plan(Plan.empty(), endpoints(3), T0);
        Plan p2 = plan(p1, endpoints(3), T0.plusSeconds(5));
        assertThat(p2).isSameAs(p1);
        Plan p3 = plan(p1, endpoints(4), T0.plusSeconds(6));
        assertThat(p3.generation()).isEqualTo(2);
    }

    @Test
    void removedServerIsDrainedForThePeriodThenLeavesThePlan() {
        List<Endpoint> eps = endpoints(4);
        Plan p1 = plan(Plan.empty(), eps, T0);
        Plan p2 = plan(p1, eps.subList(0, 3), T0.plusSeconds(1));
        ServerPlan leaving = p2.backend("app").servers().stream()
                .filter(s -> s.identity().equals(eps.get(3).identity())).findFirst().orElseThrow();
        assertThat(leaving.state()).isEqualTo(ServerState.DRAIN);
        assertThat(leaving.drainUntil()).isEqualTo(T0.plusSeconds(11));

        Plan stillDraining = plan(p2, eps.subList(0, 3), T0.plusSeconds(10).plusMillis(999));
        assertThat(stillDraining).isSameAs(p2);

        Plan gone = plan(p2, eps.subList(0, 3), T0.plusSeconds(11));
        assertThat(gone.backend("app").servers()).extracting(ServerPlan::identity)
                .doesNotContain(eps.get(3).identity()).hasSize(3);
    }

    @Test
    void serverReturningWhileDrainingIsReadyAgainWithItsId() {
        List<Endpoint> eps = endpoints(4);
        Plan p1 = plan(Plan.empty(), eps, T0);
        Plan p2 = plan(p1, eps.subList(0, 3), T0.plusSeconds(1));
        Plan p3 = plan(p2, eps, T0.plusSeconds(2));
        assertThat(p3.backend("app").servers()).isEqualTo(p1.backend("app").servers());
    }

    @Test
    void removingMoreThanTheGuardFractionIsHeldBackAndReported() {
        List<Endpoint> eps = endpoints(4);
        Plan p1 = plan(Plan.empty(), eps, T0);
        Plan held = plan(p1, eps.subList(0, 1), T0.plusSeconds(1));
        BackendPlan app = held.backend("app");
        assertThat(app.servers()).isEqualTo(p1.backend("app").servers());
        assertThat(app.heldBack()).contains("would remove 3 of 4 serving servers (75% > 50%)");

        Plan released = plan(held, eps.subList(0, 1), T0.plusSeconds(2), Set.of("app"));
        assertThat(released.backend("app").heldBack()).isNull();
        assertThat(released.backend("app").servers()).filteredOn(s -> s.state() == ServerState.READY).hasSize(1);
    }

    @Test
    void emptyAnswerNeverEmptiesABackendWithoutRelease() {
        Plan p1 = plan(Plan.empty(), endpoints(1), T0);
        Plan p2 = plan(p1, List.of(), T0.plusSeconds(1));
        assertThat(p2.backend("app").servers()).hasSize(1);
        assertThat(p2.backend("app").heldBack()).contains("1 of 1");
    }

    @Test
    void removingAtMostTheGuardFractionGoesThrough() {
        List<Endpoint> eps = endpoints(4);
        Plan p1 = plan(Plan.empty(), eps, T0);
        Plan p2 = plan(p1, eps.subList(0, 2), T0.plusSeconds(1));
        assertThat(p2.backend("app").heldBack()).isNull();
        assertThat(p2.backend("app").servers()).filteredOn(s -> s.state() == ServerState.DRAIN).hasSize(2);
    }

    @Test
    void failedSourceKeepsItsLastGoodEndpoints() {
        Plan p1 = plan(Plan.empty(), endpoints(3), T0);
        SourceSnapshot failed = SourceSnapshot.ok("servers", endpoints(3), List.of(), T0).failed("servers.yaml: unreadable");
        Plan p2 = Planner.plan(new PlanInput(p1, Map.of("servers", failed), config, T0.plusSeconds(1), Set.of()));
        assertThat(p2).isSameAs(p1);
    }

    @Test
    void endpointWeightOverridesTheBackendDefault() {
        Endpoint heavy = new Endpoint("heavy", "10.1.1.1", 80, 7, "a", Map.of());
        Plan p = plan(Plan.empty(), List.of(heavy, Endpoint.of("10.1.1.2", 80)), T0);
        assertThat(p.backend("app").servers()).extracting(ServerPlan::weight).containsExactlyInAnyOrder(7, 100);
    }

    @Test
    void ipv6IdentitiesGetSafeDistinctNames() {
        Plan p = plan(Plan.empty(), List.of(Endpoint.of("::1", 80), Endpoint.of("::1", 81)), T0);
        assertThat(p.backend("app").servers()).extracting(ServerPlan::name)
                .allMatch(dev.hsdo.model.Tokens::isName).doesNotHaveDuplicates();
    }

    @Test
    void planWithATamperedDigestIsRejected() {
        Plan p = plan(Plan.empty(), endpoints(2), T0);
        assertThatThrownBy(() -> new Plan(p.generation(), "00", p.backends(), 0))
                .hasMessageContaining("does not match its content");
    }
}
