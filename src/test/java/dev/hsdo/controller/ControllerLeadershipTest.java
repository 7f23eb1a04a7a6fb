package dev.hsdo.controller;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Plan;
import dev.hsdo.store.file.FilePlanStore;
import dev.hsdo.testing.Configs;
import dev.hsdo.testing.FakeElection;
import dev.hsdo.testing.FixedSource;
import dev.hsdo.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two controllers on one store: only the leader publishes, and a new leader continues the generations. */
class ControllerLeadershipTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private Controller controller(FilePlanStore store, FixedSource source, FakeElection election) {
        HsdoConfig config = Configs.standard(dir, 8080, Duration.ZERO, 1.0);
        return new Controller(config, List.of(source), store, clock, new ControllerMetrics(new SimpleMeterRegistry()), election);
    }

    private static List<Endpoint> endpoints(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> Endpoint.of("10.0.0." + i, 80)).toList();
    }

    @Test
    void onlyTheLeaderPublishesAndTheNextLeaderContinuesFromTheStoredGeneration() throws Exception {
        try (FilePlanStore store = new FilePlanStore(dir.resolve("plan.json"), Duration.ofHours(1))) {
            FixedSource sa = new FixedSource("servers", endpoints(2));
            FixedSource sb = new FixedSource("servers", endpoints(2));
            FakeElection ea = new FakeElection("a");
            FakeElection eb = new FakeElection("b");
            try (Controller a = controller(store, sa, ea); Controller b = controller(store, sb, eb)) {
                a.start();
                b.start();
                assertThat(store.current()).as("no leader, no plan").isEmpty();

                ea.win();
                Plan first = a.planOnce();
                assertThat(first.generation()).isEqualTo(1);
                assertThat(store.current()).contains(first);

                // b sees a different world but does not lead: it publishes nothing and follows the store.
                sb.set(endpoints(3));
                assertThat(b.planOnce()).isEqualTo(first);
                assertThat(b.isLeader()).isFalse();

                ea.lose();
                sa.set(endpoints(4));
                assertThat(a.planOnce()).isEqualTo(first);
                assertThat(store.current()).contains(first);

                eb.win();
                Plan second = b.planOnce();
                assertThat(second.generation()).as("continues after the stored generation").isEqualTo(2);
                assertThat(second.backend("app").servers()).hasSize(3);
                assertThat(store.current()).contains(second);
                assertThat(a.planOnce()).as("the deposed leader follows").isEqualTo(second);
            }
        }
    }
}
