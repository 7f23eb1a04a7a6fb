package dev.hsdo.plan;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.SlowStartConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Slow start in the planner, on a fake clock that the planner reads only through {@code now}. */
class SlowStartTest {
    private static final SlowStartConfig HSDO = new SlowStartConfig(true, 1, 10, 1, Duration.ofSeconds(30));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static HsdoConfig config(SlowStartConfig s) {
        HsdoConfig c = Configs.standard(Path.of("/tmp/x"), 8080, Duration.ofSeconds(10), 1.0);
        return Configs.withBackends(c, List.of(Configs.withSlowStart(c.backend("app"), s)));
    }

    private Plan plan(Plan previous, List<Endpoint> eps, HsdoConfig cfg) {
        SourceSnapshot snap = SourceSnapshot.ok("servers", eps, List.of(), clock.instant());
        return Planner.plan(new PlanInput(previous, Map.of("servers", snap), cfg, clock.instant(), Set.of()));
    }

    private static Endpoint ep(int i, Integer weight) {
        return new Endpoint(null, "10.0.0." + i, 80, weight, null, Map.of());
    }

    private static ServerPlan server(Plan p, int i) {
        return p.backend("app").servers().stream().filter(s -> s.address().equals("10.0.0." + i)).findFirst().orElseThrow();
    }

    @Test
    void aJoiningServerStepsFromMinToMaxEveryIntervalWhileTheOthersKeepTheirWeight() {
        HsdoConfig cfg = config(HSDO);
        Plan p = plan(Plan.empty(), List.of(ep(1, 10), ep(2, 10)), cfg);
        assertThat(server(p, 1).weight()).as("a backend that starts empty serves at once").isEqualTo(10);

        p = plan(p, List.of(ep(1, 10), ep(2, 10), ep(3, 10)), cfg);
        List<Integer> weights = new ArrayList<>();
        List<Long> generations = new ArrayList<>();
        for (int second = 0; second <= 300; second++) {
            Plan next = plan(p, List.of(ep(1, 10), ep(2, 10), ep(3, 10)), cfg);
            if (next != p) {
                weights.add(server(next, 3).weight());
                generations.add(next.generation());
            }
            if (second % 30 == 0 && second <= 270)
                assertThat(server(next, 3).weight()).as("weight at %d s", second).isEqualTo(1 + second / 30);
            assertThat(server(next, 1).weight()).isEqualTo(10);
            p = next;
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(weights).as("one new plan per step, none in between").containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(generations).isSorted().doesNotHaveDuplicates();
        assertThat(server(p, 3).rampSince()).as("at full weight the ramp is over").isNull();
    }

    @Test
    void stepsAreFractionsOfTheServersOwnWeight() {
        HsdoConfig cfg = config(new SlowStartConfig(true, 2, 4, 1, Duration.ofSeconds(10)));
        Plan p = plan(Plan.empty(), List.of(ep(1, null)), cfg);
        p = plan(p, List.of(ep(1, null), ep(2, 200)), cfg);
        assertThat(server(p, 2).weight()).isEqualTo(100);
        assertThat(server(p, 2).rampSince()).isEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(10));
        p = plan(p, List.of(ep(1, null), ep(2, 200)), cfg);
        assertThat(server(p, 2).weight()).isEqualTo(150);
        clock.advance(Duration.ofSeconds(10));
        p = plan(p, List.of(ep(1, null), ep(2, 200)), cfg);
        assertThat(server(p, 2).weight()).isEqualTo(200);
        assertThat(server(p, 2).rampSince()).isNull();
    }

    @Test
    void aServerThatLeftAndCameBackRampsAgain() {
        HsdoConfig cfg = config(HSDO);
        Plan p = plan(Plan.empty(), List.of(ep(1, 10), ep(2, 10)), cfg);
        p = plan(p, List.of(ep(1, 10)), cfg);
        clock.advance(Duration.ofSeconds(5));
        p = plan(p, List.of(ep(1, 10), ep(2, 10)), cfg);
        assertThat(server(p, 2).weight()).isEqualTo(1);
    }

    @Test
    void withoutSlowStartAJoiningServerTakesItsFullWeightAndThePlanCarriesNoRamp() {
        HsdoConfig cfg = config(SlowStartConfig.off());
        Plan p = plan(Plan.empty(), List.of(ep(1, 10)), cfg);
        p = plan(p, List.of(ep(1, 10), ep(2, 10)), cfg);
        assertThat(server(p, 2).weight()).isEqualTo(10);
        assertThat(server(p, 2).rampSince()).isNull();
        assertThat(Plan.canonical(p.backends())).doesNotContain("ramp");
    }
}
