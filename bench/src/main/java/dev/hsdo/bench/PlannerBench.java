package dev.hsdo.bench;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.plan.PlanInput;
import dev.hsdo.plan.Planner;
import dev.hsdo.plan.ServerIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The planner on a large backend: the first plan from nothing, a re-plan after one endpoint was replaced
 * (one leaves and drains, one joins), a re-plan with nothing changed (every reconcile tick), and the id
 * assignment alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlannerBench {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Param("10000")
    public int endpoints;

    private HsdoConfig config;
    private Map<String, SourceSnapshot> all;
    private Map<String, SourceSnapshot> oneReplaced;
    private Plan previous;
    private List<String> identities;

    @Setup
    public void setUp() {
        config = BenchConfigs.standard(Path.of("/nonexistent/hsdo-bench"), 8080, Duration.ofSeconds(10), 0.5);
        List<Endpoint> eps = new ArrayList<>(endpoints);
        for (int i = 0; i < endpoints; i++) eps.add(Endpoint.of("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 8080));
        List<Endpoint> replaced = new ArrayList<>(eps);
        replaced.set(endpoints / 2, Endpoint.of("192.168.0.1", 9090));
        all = snapshot(eps);
        oneReplaced = snapshot(replaced);
        previous = Planner.plan(new PlanInput(Plan.empty(), all, config, NOW, Set.of()));
        if (previous.backend(BenchConfigs.BACKEND).servers().size() != endpoints)
            throw new IllegalStateException("setup: expected " + endpoints + " servers in " + previous.backend(BenchConfigs.BACKEND));
        Plan next = replanOneEndpointReplaced();
        if (next.generation() != previous.generation() + 1 || next.backend(BenchConfigs.BACKEND).servers().size() != endpoints + 1)
            throw new IllegalStateException("setup: replacing one endpoint should add one and drain one");
        identities = eps.stream().map(Endpoint::identity).toList();
    }

    private static Map<String, SourceSnapshot> snapshot(List<Endpoint> eps) {
        return Map.of(BenchConfigs.SOURCE, SourceSnapshot.ok(BenchConfigs.SOURCE, eps, List.of(), NOW));
    }

    @Benchmark
    public Plan firstPlanFromEmpty() {
        return Planner.plan(new PlanInput(Plan.empty(), all, config, NOW, Set.of()));
    }

    @Benchmark
    public Plan replanOneEndpointReplaced() {
        return Planner.plan(new PlanInput(previous, oneReplaced, config, NOW.plusSeconds(1), Set.of()));
    }

    @Benchmark
    public Plan replanNothingChanged() {
        return Planner.plan(new PlanInput(previous, all, config, NOW.plusSeconds(1), Set.of()));
    }

    @Benchmark
    public Map<String, Integer> serverIdsAssign() {
        return ServerIds.assign(identities);
    }
}
