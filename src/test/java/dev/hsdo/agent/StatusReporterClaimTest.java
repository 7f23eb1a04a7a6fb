package dev.hsdo.agent;

import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.StoreException;
import dev.hsdo.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** How an agent claims its id: a live other instance renews its report, a dead one's report goes stale. */
class StatusReporterClaimTest {
    private static final Duration TTL = Duration.ofHours(3); // the loop never ticks during a test
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Registry registry = new Registry();
    private final StatusReporter reporter = new StatusReporter("lb-1", "me", null, AgentStatus::initial, () -> null,
            new StoreHealth(clock), TTL, clock);

    /** A registry in memory: the reports the test puts there, or a failure. */
    private static final class Registry implements AgentRegistry {
        // Read by the reporter's loop too.
        final List<AgentReport> reports = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void report(AgentReport report) throws StoreException {
            if (down) throw new StoreException("store down", null);
        }

        @Override
        public List<AgentReport> agents() throws StoreException {
            if (down) throw new StoreException("store down", null);
            return List.copyOf(reports);
        }

        @Override
        public void close() {}
    }

    private AgentReport other(Instant reportedAt) {
        return new AgentReport("lb-1", null, null, 1, 1, null, null, reportedAt, "other", List.of());
    }

    @AfterEach
    void stop() {
        reporter.close();
    }

    @Test
    void anotherInstanceThatRenewsItsReportHoldsTheId() {
        registry.reports.add(other(clock.instant()));
        reporter.attach(registry);
        assertThat(reporter.claimStep()).isEqualTo(StatusReporter.Claim.UNDECIDED);
        clock.advance(Duration.ofSeconds(5));
        registry.reports.set(0, other(clock.instant()));
        assertThat(reporter.claimStep()).isEqualTo(StatusReporter.Claim.DUPLICATE);
        assertThat(reporter.duplicate()).contains("agent id lb-1 is already reported by another live agent (instance other");
    }

    @Test
    void aReportNotRenewedForATtlIsADeadPredecessorsAndTheIdIsTakenOver() {
        registry.reports.add(other(clock.instant()));
        reporter.attach(registry);
        assertThat(reporter.claimStep()).isEqualTo(StatusReporter.Claim.UNDECIDED);
        clock.advance(TTL.minusSeconds(1));
        assertThat(reporter.claimStep()).isEqualTo(StatusReporter.Claim.UNDECIDED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(reporter.claimStep()).isEqualTo(StatusReporter.Claim.CLAIMED);
        assertThat(reporter.duplicate()).isNull();
    }

    @Test
    void ownOrNoReportClaimsAtOnceAndAStoreThatDoesNotAnswerDecidesNothing() {
        // Down before attaching: the reporter's own loop looks as soon as it is attached.
        registry.down = true;
        reporter.attach(registry);
        assertThat(reporter.claimStep()).isEqualTo(StatusReporter.Claim.NO_ANSWER);
        assertThat(reporter.claim()).as("a start during a store outage does not wait").isNull();
        registry.down = false;
        registry.reports.add(new AgentReport("lb-1", null, null, 1, 1, null, null, clock.instant(), "me", List.of()));
        assertThat(reporter.claimStep()).isEqualTo(StatusReporter.Claim.CLAIMED);
    }
}
