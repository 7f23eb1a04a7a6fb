package dev.hsdo.discovery.consul;

import dev.hsdo.config.ConsulSourceConfig;
import dev.hsdo.config.ConsulSourceConfig.HealthPolicy;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.ConsulPlayback;
import dev.hsdo.testing.ConsulPlayback.Instance;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Consul source against a local HTTP server playing back Consul's documented answers. */
class ConsulSourcePlaybackTest {
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Instance N1 = Instance.passing("n1", "10.0.0.1", 8080);
    private static final Instance N2 = Instance.passing("n2", "10.0.0.2", 8080);
    private static final Instance N3 = Instance.passing("n3", "10.0.0.3", 8080);

    @TempDir
    Path dir;
    private final List<SourceSnapshot> seen = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private ConsulPlayback consul;
    private ConsulSource source;

    @AfterEach
    void stop() {
        if (source != null) source.close();
        if (consul != null) consul.close();
    }

    private ConsulSourceConfig config(List<String> services, String dc, String token, Path caFile, Duration wait) {
        return new ConsulSourceConfig("consul", consul.address(), services, HealthPolicy.PASSING, dc, token, caFile, wait);
    }

    private ConsulSource start(ConsulSourceConfig config) {
        source = new ConsulSource(config, clock, Duration.ofMillis(50), Duration.ofMillis(200));
        source.start(seen::add);
        return source;
    }

    private ConsulSource start(String... services) {
        return start(config(List.of(services), null, null, null, Duration.ofSeconds(30)));
    }

    private static List<String> addresses(SourceSnapshot s) {
        return s.endpoints().stream().map(Endpoint::address).toList();
    }

    private void awaitBlockedOn(String service, long index) {
        await().atMost(BOUND).until(() -> consul.requests(service).stream().anyMatch(r -> r.index() == index));
    }

    @Test
    void firstSnapshotHoldsThePassingInstancesOfEveryServiceBeforeStartReturns() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1, N2.status("critical"));
        consul.set("api", 7, N3);
        start("web", "api");
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().healthy()).isTrue();
        assertThat(addresses(seen.getFirst())).containsExactly("10.0.0.1", "10.0.0.3");
        assertThat(seen.getFirst().readAt()).isEqualTo(clock.instant());
    }

    @Test
    void blockingQueryReturnsOnChangeAndTheChangeArrivesWithoutPolling() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1);
        start("web");
        awaitBlockedOn("web", 10);
        assertThat(consul.requests("web").getLast().query()).containsEntry("wait", "30000ms");

        long t0 = System.nanoTime();
        consul.set("web", 11, N1, N2);
        await().atMost(BOUND).until(() -> addresses(source.current()).size() == 2);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).as("a change reaches the source while its query is blocked").isLessThan(1000);
        assertThat(seen).hasSize(2);
        awaitBlockedOn("web", 11);
        assertThat(consul.requests("web")).extracting(ConsulPlayback.Request::index).containsExactly(0L, 10L, 11L);
    }

    @Test
    void blockingQueryThatTimesOutChangesNothingAndBlocksAgainOnTheSameIndex() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1);
        start(config(List.of("web"), null, null, null, Duration.ofMillis(150)));
        await().atMost(BOUND).until(() -> consul.requests("web").stream().filter(r -> r.index() == 10).count() >= 3);
        assertThat(seen).as("answers with the same index and content are no change").hasSize(1);
        assertThat(consul.requests("web")).extracting(ConsulPlayback.Request::index).doesNotContain(11L);
    }

    @Test
    void anIndexThatGoesBackwardsIsResetAndTheNewStateRead() {
        consul = ConsulPlayback.start();
        consul.set("web", 100, N1);
        start(config(List.of("web"), null, null, null, Duration.ofMillis(200)));
        awaitBlockedOn("web", 100);
        // Consul restored from an older snapshot: its index is lower than the one hsdo holds.
        consul.set("web", 5, N2);
        await().atMost(BOUND).until(() -> addresses(source.current()).equals(List.of("10.0.0.2")));
        awaitBlockedOn("web", 5);
        List<Long> indexes = consul.requests("web").stream().map(ConsulPlayback.Request::index).toList();
        int reset = indexes.lastIndexOf(100L) + 1;
        assertThat(indexes.subList(reset, indexes.size())).as("after the index went back: ask afresh, then block on the new index")
                .startsWith(0L, 5L);
    }

    @Test
    void tokenAndDatacenterGoWithEveryQuery() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1);
        start(config(List.of("web"), "eu-west", "s3cr3t-acl", null, Duration.ofSeconds(30)));
        awaitBlockedOn("web", 10);
        assertThat(consul.requests()).allSatisfy(r -> {
            assertThat(r.token()).isEqualTo("s3cr3t-acl");
            assertThat(r.query()).containsEntry("dc", "eu-west");
        });
    }

    @Test
    void aStoppedConsulKeepsTheLastGoodInstancesReportsItAndRecovers() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1, N2);
        start("web");
        awaitBlockedOn("web", 10);

        consul.stop();
        await().atMost(BOUND).until(() -> !source.current().healthy());
        assertThat(source.current().error()).startsWith("service 'web': ");
        assertThat(addresses(source.current())).containsExactly("10.0.0.1", "10.0.0.2");

        consul.set("web", 12, N2, N3);
        consul.restart();
        await().atMost(BOUND).until(() -> source.current().healthy());
        assertThat(addresses(source.current())).containsExactly("10.0.0.2", "10.0.0.3");
    }

    @Test
    void anErrorStatusOrMalformedAnswerKeepsTheLastGoodInstancesUntilConsulAnswersWell() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1);
        start("web");
        awaitBlockedOn("web", 10);

        consul.fault(500, "rpc error making call: No cluster leader");
        await().atMost(BOUND).until(() -> !source.current().healthy());
        assertThat(source.current().error())
                .isEqualTo("service 'web': HTTP 500 from " + consul.address() + " for service web: rpc error making call: No cluster leader");
        assertThat(addresses(source.current())).containsExactly("10.0.0.1");

        consul.fault(200, "[{\"Node\": {\"Node\": \"n1\"");
        await().atMost(BOUND).until(() -> source.current().error().contains("answer is not JSON"));
        assertThat(addresses(source.current())).containsExactly("10.0.0.1");

        consul.set("web", 11, N1, N3);
        consul.clearFault();
        await().atMost(BOUND).until(() -> source.current().healthy());
        assertThat(addresses(source.current())).containsExactly("10.0.0.1", "10.0.0.3");
    }

    @Test
    void theSourceIsNeverReadUntilEveryServiceWasReadAndThenAFailingServiceDoesNotHideTheOthers() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1);
        consul.setRaw("api", 3, "not json");
        start("web", "api");
        // A partial list would read as the removal of api's servers: the source knows nothing yet.
        assertThat(seen.getFirst().state()).isEqualTo(SourceSnapshot.State.NEVER_READ);
        assertThat(seen.getFirst().error()).isEqualTo("service 'api': answer is not JSON: it starts with 'not json'");
        assertThat(seen.getFirst().endpoints()).isEmpty();

        consul.set("api", 4, N3);
        await().atMost(BOUND).until(() -> source.current().healthy());
        assertThat(addresses(source.current())).containsExactly("10.0.0.1", "10.0.0.3");

        consul.setRaw("api", 5, "not json");
        await().atMost(BOUND).until(() -> source.current().state() == SourceSnapshot.State.FAILING);
        assertThat(source.current().error()).contains("service 'api'");
        assertThat(addresses(source.current())).containsExactly("10.0.0.1", "10.0.0.3");
    }

    @Test
    void httpsIsTrustedThroughTheCaFileAndRefusedWithoutIt() {
        TestCerts certs = TestCerts.create(dir);
        consul = ConsulPlayback.start(certs.serverContext());
        consul.set("web", 10, N1);
        start(config(List.of("web"), null, null, certs.certPem(), Duration.ofSeconds(30)));
        assertThat(seen.getFirst().healthy()).isTrue();
        assertThat(addresses(seen.getFirst())).containsExactly("10.0.0.1");
        source.close();

        seen.clear();
        start(config(List.of("web"), null, null, null, Duration.ofSeconds(30)));
        assertThat(seen.getFirst().healthy()).as("a self-signed certificate is not trusted by default").isFalse();
    }

    @Test
    void closeEndsABlockedQueryPromptlyAndNothingIsReportedAfterIt() {
        consul = ConsulPlayback.start();
        consul.set("web", 10, N1);
        start(config(List.of("web"), null, null, null, Duration.ofMinutes(5)));
        awaitBlockedOn("web", 10);
        long t0 = System.nanoTime();
        source.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
        int reported = seen.size();
        consul.set("web", 11, N2);
        consul.stop();
        assertThat(seen).hasSize(reported);
    }

    /**
     * Consul serving N1 in service web at {@code index}, and a source with the production retry delays (1 s,
     * backing off only on 429) blocked on it.
     */
    private void watchingWebAt(long index) {
        consul = ConsulPlayback.start();
        consul.set("web", index, N1);
        source = new ConsulSource(config(List.of("web"), null, null, null, Duration.ofMinutes(5)), clock);
        source.start(seen::add);
        awaitBlockedOn("web", index);
    }

    @Test
    void afterConsulRestartsWithItsIndexResetTheNextChangeIsSeenWithinTheCheckInterval() {
        watchingWebAt(46);

        // Consul restarts from scratch: the blocked query drops, its index starts again at 3. The JDK client
        // may send the dropped query once more by itself, old index and all, and that one blocks on the new
        // Consul until the source's check (every 2 s) finds the index reset.
        int before = consul.requests("web").size();
        consul.stop();
        consul.set("web", 3, N1);
        consul.restart();
        long t0 = System.nanoTime();
        consul.set("web", 4, N1, N2);
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(10))
                .until(() -> addresses(source.current()).contains("10.0.0.2"));
        System.out.printf("consul index reset: change seen after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(source.current().healthy()).isTrue();
        await().atMost(BOUND).until(() -> consul.requests("web").stream().anyMatch(r -> r.index() == 4));
        List<ConsulPlayback.Request> after = consul.requests("web").subList(before, consul.requests("web").size());
        assertThat(after).as("a fresh query (no index, no wait) after the restart").anyMatch(r -> !r.query().containsKey("index"));
    }

    @Test
    void aBlockingQueryThatIsNeverAnsweredIsCheckedAndTheChangeSeenWithinTheCheckInterval() {
        watchingWebAt(20);

        // Consul's index moves on but the blocked query is not answered (a proxy holding it, or a query the
        // HTTP client sent again to a restarted Consul): only the source's check can notice.
        long t0 = System.nanoTime();
        consul.setUnnoticed("web", 21, N1, N3);
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(10))
                .until(() -> addresses(source.current()).contains("10.0.0.3"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("unanswered blocking query: change seen after %d ms%n", ms);
        assertThat(ms).as("not before the check: the blocked query itself never answered").isGreaterThanOrEqualTo(1500);
        await().atMost(BOUND).until(() -> consul.requests("web").stream().anyMatch(r -> r.index() == 21));
    }

    @Test
    void afterAnOutageTheChangedCatalogueIsFollowedWithinTwoSecondsOfConsulAnswering() {
        watchingWebAt(10);

        consul.stop();
        // An outage long enough for a doubling backoff (1, 2, 4 s...) to stretch well past 2 s; the source
        // reports the failure throughout and keeps its last good instances.
        await().atMost(BOUND).until(() -> source.current().state() == SourceSnapshot.State.FAILING);
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() ->
                source.current().state() == SourceSnapshot.State.FAILING && addresses(source.current()).equals(List.of("10.0.0.1")));

        consul.set("web", 11, N1, N2, N3);
        long t0 = System.nanoTime();
        consul.restart();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> source.current().healthy() && addresses(source.current()).size() == 3);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("consul back after an outage: catalogue followed after %d ms%n", ms);
        assertThat(ms).as("recovery after Consul answers again, ms").isLessThanOrEqualTo(2000);
    }

    @Test
    void onlyTooManyRequestsBacksOffOtherErrorsAreRetriedEverySecond() {
        watchingWebAt(10);

        consul.fault(500, "No cluster leader");
        await().atMost(BOUND).until(() -> source.current().state() == SourceSnapshot.State.FAILING);
        int before = consul.requests("web").size();
        await().atMost(Duration.ofSeconds(6)).until(() -> consul.requests("web").size() >= before + 4);

        consul.fault(429, "rate limit exceeded");
        await().atMost(BOUND).until(() -> source.current().error().contains("HTTP 429"));
        int at429 = consul.requests("web").size();
        // Backing off 1, 2, 4 s: at most 3 more queries in 5 s, where a 1 s retry would make 5.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> consul.requests("web").size() <= at429 + 3);
        consul.clearFault();
        await().atMost(Duration.ofSeconds(10)).until(() -> source.current().healthy());
    }
}
