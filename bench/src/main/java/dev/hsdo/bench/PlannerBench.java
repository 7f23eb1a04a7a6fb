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

import dev.hsdo.controller.Controller;
import dev.hsdo.controller.ControllerMetrics;
import dev.hsdo.discovery.Source;
import dev.hsdo.store.StoreException;
import dev.hsdo.store.file.FilePlanStore;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The planner on a large backend: the first plan from nothing, a re-plan after one endpoint was replaced
 * (one leaves and drains, one joins), a re-plan after one endpoint's weight changed, a re-plan with nothing
 * changed (what every reconcile tick cost before the controller skipped such ticks), the controller's tick
 * with nothing changed (what it costs now), and the id assignment alone.
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
    private Map<String, SourceSnapshot> oneReweighted;
    private List<String> identities;
    private Path storeDir;
    private FilePlanStore store;
    private Controller controller;

    @Setup
    public void setUp() {
        config = BenchConfigs.standard(Path.of("/nonexistent/hsdo-bench"), 8080, Duration.ofSeconds(10), 0.5);
        List<Endpoint> eps = new ArrayList<>(endpoints);
        for (int i = 0; i < endpoints; i++) eps.add(Endpoint.of("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 8080));
        List<Endpoint> replaced = new ArrayList<>(eps);
        replaced.set(endpoints / 2, Endpoint.of("192.168.0.1", 9090));
        List<Endpoint> reweighted = new ArrayList<>(eps);
        Endpoint e = eps.get(endpoints / 3);
        reweighted.set(endpoints / 3, new Endpoint(e.name(), e.address(), e.port(), 50, e.zone(), e.meta()));
        oneReweighted = snapshot(reweighted);
        all = snapshot(eps);
        oneReplaced = snapshot(replaced);
        previous = Planner.plan(new PlanInput(Plan.empty(), all, config, NOW, Set.of()));
        if (previous.backend(BenchConfigs.BACKEND).servers().size() != endpoints)
            throw new IllegalStateException("setup: expected " + endpoints + " servers in " + previous.backend(BenchConfigs.BACKEND));
        Plan next = replanOneEndpointReplaced();
        if (next.generation() != previous.generation() + 1 || next.backend(BenchConfigs.BACKEND).servers().size() != endpoints + 1)
            throw new IllegalStateException("setup: replacing one endpoint should add one and drain one");
        identities = eps.stream().map(Endpoint::identity).toList();
        try {
            storeDir = Files.createTempDirectory("hsdo-planner-bench");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        store = new FilePlanStore(storeDir.resolve("plan.json"), Duration.ofHours(1));
        SourceSnapshot snap = all.get(BenchConfigs.SOURCE);
        controller = new Controller(config, List.of(new Unchanging(snap)), store, Clock.fixed(NOW, ZoneOffset.UTC),
                ControllerMetrics.none());
        try {
            controller.start();
        } catch (StoreException ex) {
            throw new IllegalStateException("setup: " + ex.getMessage(), ex);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        controller.close();
        store.close();
        try (var files = Files.walk(storeDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A source that reports one snapshot and never changes. */
    private record Unchanging(SourceSnapshot snapshot) implements Source {
        @Override
        public String name() {
            return snapshot.source();
        }

        @Override
        public void start(Consumer<SourceSnapshot> listener) {
            listener.accept(snapshot);
        }

        @Override
        public SourceSnapshot current() {
            return snapshot;
        }

        @Override
        public void close() {
        }
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
    public Plan replanOneEndpointReweighted() {
        return Planner.plan(new PlanInput(previous, oneReweighted, config, NOW.plusSeconds(1), Set.of()));
    }

    @Benchmark
    public Plan controllerTickNothingChanged() {
        return controller.planOnce();
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
