package dev.hsdo.discovery.dns;

import dev.hsdo.config.DnsSourceConfig;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DnsSourceTest {
    private static final String SRV = "_http._tcp.app.svc.test.";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScriptedLookup lookup = new ScriptedLookup();
    private final List<SourceSnapshot> heard = new ArrayList<>();
    private DnsSource source;

    /** Answers (or fails) from a script; the last step repeats. */
    private static final class ScriptedLookup implements SrvLookup {
        private final Deque<Object> script = new ArrayDeque<>();

        void then(Object answerOrFailure) {
            script.add(answerOrFailure);
        }

        @Override
        public synchronized SrvAnswer lookup(String srvName) throws DnsLookupException {
            Object next = script.size() > 1 ? script.poll() : script.peek();
            if (next instanceof DnsLookupException e) throw e;
            return (SrvAnswer) next;
        }
    }

    private static SrvAnswer nodes(long ttl, String... targets) {
        List<SrvAnswer.Srv> records = new ArrayList<>();
        Map<String, List<String>> addresses = new java.util.HashMap<>();
        int i = 1;
        for (String t : targets) {
            records.add(new SrvAnswer.Srv(10, 50, 8080, t + "."));
            addresses.put(t + ".", List.of("10.0.0." + i++));
        }
        return new SrvAnswer(records, addresses, ttl, "127.0.0.1:53");
    }

    private void start() {
        // A long refresh: the test drives every read itself.
        DnsSourceConfig config = new DnsSourceConfig("peers", SRV, List.of(), Duration.ofHours(1), Duration.ofSeconds(1),
                DnsSourceConfig.PriorityPolicy.LOWEST, DnsSourceConfig.WeightPolicy.EQUAL);
        source = new DnsSource(config, lookup, clock);
        source.start(heard::add);
    }

    @AfterEach
    void close() {
        if (source != null) source.close();
    }

    @Test
    void theFirstReadIsReportedBeforeStartReturns() {
        lookup.then(nodes(30, "a.test", "b.test"));
        start();
        assertThat(heard).singleElement().satisfies(s -> {
            assertThat(s.healthy()).isTrue();
            assertThat(s.endpoints()).extracting(Endpoint::identity).containsExactly("a.test:8080", "b.test:8080");
            assertThat(s.readAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void aFailedLookupKeepsTheLastGoodEndpointsWithTheErrorAndRecovers() {
        lookup.then(nodes(30, "a.test", "b.test"));
        lookup.then(new DnsLookupException("no usable answer (127.0.0.1:53: SocketTimeoutException)"));
        lookup.then(nodes(30, "a.test", "b.test"));
        start();
        clock.advance(Duration.ofSeconds(5));
        source.refresh(false);
        SourceSnapshot failed = source.current();
        assertThat(failed.healthy()).isFalse();
        assertThat(failed.error()).contains(SRV, "SocketTimeoutException");
        assertThat(failed.endpoints()).hasSize(2);
        assertThat(failed.readAt()).as("last good read").isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));

        source.refresh(false);
        assertThat(source.current().healthy()).isTrue();
        assertThat(heard).hasSize(3);
    }

    @Test
    void nxdomainIsAGoodReadOfNoEndpointsLeftToThePlannersGuard() {
        lookup.then(nodes(30, "a.test"));
        lookup.then(new SrvAnswer(List.of(), Map.of(), -1, "127.0.0.1:53"));
        start();
        source.refresh(false);
        assertThat(source.current().healthy()).isTrue();
        assertThat(source.current().endpoints()).isEmpty();
    }

    @Test
    void theListenerHearsOnlyOfChanges() {
        lookup.then(nodes(30, "a.test"));
        start();
        for (int i = 0; i < 3; i++) source.refresh(false);
        assertThat(heard).hasSize(1);
    }

    @Test
    void theNextReadComesWithinTheTtlButNotSoonerThanASecond() {
        assertThat(DnsSource.nextDelay(Duration.ofSeconds(5), 30)).isEqualTo(Duration.ofSeconds(5));
        assertThat(DnsSource.nextDelay(Duration.ofSeconds(5), 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(DnsSource.nextDelay(Duration.ofSeconds(5), 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(DnsSource.nextDelay(Duration.ofMillis(250), 0)).isEqualTo(Duration.ofMillis(250));
        assertThat(DnsSource.nextDelay(Duration.ofSeconds(5), -1)).as("no records").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refreshReturnsTheDelayTheAnswerAllows() {
        lookup.then(nodes(2, "a.test"));
        lookup.then(new DnsLookupException("down"));
        start();
        assertThat(source.refresh(false)).as("after a failure: a second, not the refresh interval").isEqualTo(Duration.ofSeconds(1));
    }
}
