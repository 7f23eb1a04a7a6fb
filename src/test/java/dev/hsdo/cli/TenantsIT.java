package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.MapEntry;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.testing.MutableClock;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import static dev.hsdo.cli.TenantsYaml.byCookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Standalone hsdo routing requests by tenant through an HAProxy map, checked by what HAProxy routes and lists. */
class TenantsIT {
    private static final Duration CONVERGE = Duration.ofSeconds(10);
    /** For steps that move 100 000 entries through the plan store and HAProxy on a loaded 2-core machine. */
    private static final Duration BULK = Duration.ofSeconds(40);
    private static final String TOKEN = "t0ken";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path shared;
    static Origins origins;

    @TempDir
    Path dir;
    Standalone hsdo;
    RuntimeApi api;
    MutableClock clock;
    int frontend;
    int admin;

    @BeforeAll
    static void startOrigins() {
        origins = Origins.start(shared, "o1", "o2", "o3", "o4");
    }

    @AfterAll
    static void stopOrigins() {
        if (origins != null) origins.close();
    }

    @AfterEach
    void stop() {
        if (api != null) api.close();
        if (hsdo != null) hsdo.close();
    }

    private void start(String tenants) throws Exception {
        int[] ports = Ports.free(2);
        frontend = ports[0];
        admin = ports[1];
        startAgain(tenants);
    }

    private void startAgain(String tenants) throws Exception {
        Path config = TenantsYaml.file(dir, "hsdo.yaml", TenantsYaml.body(dir, origins, frontend, admin, TOKEN)
                + "store: {type: file, path: ./state/plan.json}\ntenants:\n" + tenants);
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        hsdo = Standalone.start(ConfigLoader.load(config, Map.of()), clock);
        if (api == null) api = SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(10));
        await().atMost(CONVERGE).until(() -> hsdo.agent().status().converged());
    }

    private Map<String, String> map() throws Exception {
        return api.showMap(dir.resolve("run/tenants.map").toString()).stream()
                .collect(Collectors.toMap(MapEntry::key, MapEntry::value));
    }

    private HttpResponse<String> write(String method, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + path))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tenantsFromAYamlFileReachTheirShardAndUnsafeIdsAreRejectedWhileTheRestApplies() throws Exception {
        TenantsYaml.file(dir, "tenants.yaml", """
                tenants:
                  alice: s2
                  bob: s3
                  "carol@example.com": s4
                  "evil tenant": s2
                  "semi;colon": s3
                  "new\\nline": s4
                  "hash#tag": s2
                  dave: s9
                """);
        start("""
                  shards: %s
                  unknown: default
                  default-shard: s1
                  source: {type: file, path: tenants.yaml}
                """.formatted(TenantsYaml.shards()));

        assertThat(byCookie(frontend, "alice")).isEqualTo("o2");
        assertThat(byCookie(frontend, "bob")).isEqualTo("o3");
        assertThat(byCookie(frontend, "carol@example.com")).isEqualTo("o4");
        assertThat(byCookie(frontend, "stranger")).as("unknown tenant → default shard").isEqualTo("o1");
        assertThat(map()).isEqualTo(Map.of("alice", "be2", "bob", "be3", "carol@example.com", "be4"));
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) hsdo.status().get("tenants");
        assertThat(t.get("entries")).isEqualTo(3);
        assertThat(((List<?>) t.get("rejected"))).hasSize(5).extracting(r -> ((dev.hsdo.model.TenantTable.Rejection) r).tenant())
                .containsExactlyInAnyOrder("evil tenant", "semi;colon", "new\nline", "hash#tag", "dave");

        // The file changes: the move reaches HAProxy without a reload.
        int pid = (int) hsdo.haproxy().pid();
        TenantsYaml.file(dir, "tenants.yaml", "tenants: {alice: s3, bob: s3, \"carol@example.com\": s4}\n");
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(byCookie(frontend, "alice")).isEqualTo("o3"));
        assertThat(hsdo.haproxy().pid()).isEqualTo(pid);
        assertThat(hsdo.haproxy().generation()).as("no reload").isEqualTo(1);
    }

    @Test
    void aHeaderTenantUnknownToTheTableIsPlacedByCrc32OverTheShardsSortedByName() throws Exception {
        TenantsYaml.file(dir, "tenants.csv", "known,s4\n");
        start("""
                  key: {header: X-Tenant}
                  shards: %s
                  unknown: hash
                  source: {type: file, path: tenants.csv}
                """.formatted(TenantsYaml.shards()));

        assertThat(TenantsYaml.ask(frontend, "/", "X-Tenant", "known")).isEqualTo("o4");
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String tenant = "u" + i;
            CRC32 crc = new CRC32();
            crc.update(tenant.getBytes());
            String expected = "o" + (crc.getValue() % 4 + 1);
            assertThat(TenantsYaml.ask(frontend, "/", "X-Tenant", tenant)).as(tenant).isEqualTo(expected);
            used.add(expected);
        }
        assertThat(used).as("unknown tenants spread over the shards").hasSizeGreaterThan(2);
    }

    @Test
    void theAdminApiMovesATenantLiveAndRefusesUnsafeIdsWithTheReason() throws Exception {
        start("""
                  shards: %s
                  default-shard: s1
                """.formatted(TenantsYaml.shards()));
        assertThat(write("POST", "/api/v1/tenants", "t1,s2\nt2,s3\nbad id,s4\nt3,nope\n").body())
                .contains("\"applied\" : 2").contains("bad id").contains("unknown shard 'nope'");
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(byCookie(frontend, "t1")).isEqualTo("o2"));

        assertThat(write("PUT", "/api/v1/tenants/t1", "s4").statusCode()).isEqualTo(200);
        assertThat(write("PUT", "/api/v1/tenants/a%3Bb", "s4").body()).contains("'a;b' is not allowed");
        assertThat(write("PUT", "/api/v1/tenants/a%0Ab", "s4").statusCode()).isEqualTo(400);
        assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/api/v1/tenants/t2"))
                .PUT(HttpRequest.BodyPublishers.ofString("s1")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("writes need the token").isEqualTo(401);
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(byCookie(frontend, "t1")).isEqualTo("o4"));
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(hsdo.status().get("tenants").toString())
                .contains("tenant=t1, from=s2, to=s4").contains("done=true"));

        assertThat(write("DELETE", "/api/v1/tenants/t2", null).statusCode()).isEqualTo(200);
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(map()).isEqualTo(Map.of("t1", "be4")));
        assertThat(byCookie(frontend, "t2")).isEqualTo("o1");
        assertThat(Http(admin, "/api/v1/tenants/t1")).contains("\"shard\" : \"s4\"");
    }

    @Test
    void aHandMadeSetMapThatKeepsTheMapsVersionAndCountIsPutBackAtTheNextVerifyReadAndReported() throws Exception {
        start("""
                  shards: %s
                  default-shard: s1
                  verify-interval: 30s
                """.formatted(TenantsYaml.shards()));
        assertThat(write("POST", "/api/v1/tenants", "t1,s2\nt2,s3\n").statusCode()).isEqualTo(200);
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(byCookie(frontend, "t1")).isEqualTo("o2"));

        // An operator's set map: same entry count, and HAProxy's listing looks as hsdo last verified it.
        assertThat(api.execute(List.of("set map " + dir.resolve("run/tenants.map") + " t1 be4")).getFirst().ok()).isTrue();
        assertThat(byCookie(frontend, "t1")).isEqualTo("o4");
        // While the verify interval has not passed on hsdo's clock, rounds (every 500 ms) do not read the map back.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> byCookie(frontend, "t1").equals("o4"));

        clock.advance(Duration.ofSeconds(31));
        await().atMost(CONVERGE).until(() -> hsdo.agent().tenantStatus().driftRepaired() == 1);
        assertThat(byCookie(frontend, "t1")).isEqualTo("o2");
        assertThat(map()).isEqualTo(Map.of("t1", "be2", "t2", "be3"));
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) hsdo.status().get("tenants");
        assertThat(t.get("driftRepaired")).isEqualTo(1L);
        assertThat(t.get("lastDriftAt")).isEqualTo(clock.instant());
        assertThat(Http(admin, "/metrics")).contains("hsdo_tenants_drift_repaired_total 1.0");
    }

    private static String Http(int port, String path) {
        return dev.hsdo.testing.Http.get(port, path);
    }

    @Test
    void aBulkReplaceOf100000TenantsIsSwappedAtomicallyAndComesBackAfterRestarts() throws Exception {
        start("""
                  shards: %s
                  default-shard: s1
                """.formatted(TenantsYaml.shards()));
        int n = 100_000;
        assertThat(write("POST", "/api/v1/tenants?replace=true", csv(n, 0)).statusCode()).isEqualTo(200);
        await().atMost(BULK).until(() -> hsdo.agent().tenantStatus().entries() == n);
        long before = hsdo.agent().tenantStatus().generation();

        // Every tenant moves to the next shard; sampled clients must see the old shard or the new one only.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger requests = new AtomicInteger();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread client = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 20_000 && !stop.get(); i++) {
                int t = ThreadLocalRandom.current().nextInt(n);
                String got = byCookie(frontend, "t" + t);
                requests.incrementAndGet();
                if (!got.equals(TenantsYaml.origin(shard(t, 0))) && !got.equals(TenantsYaml.origin(shard(t, 1))))
                    wrong.add("t" + t + " → " + got);
                // Paced, so the client leaves the two cores to hsdo and HAProxy: a pace, not a synchronisation.
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
        });
        await().atMost(CONVERGE).until(() -> requests.get() > 20);
        assertThat(write("POST", "/api/v1/tenants?replace=true", csv(n, 1)).statusCode()).isEqualTo(200);
        await().atMost(BULK).until(() -> hsdo.agent().tenantStatus().generation() > before);
        int after = requests.get();
        await().atMost(CONVERGE).until(() -> requests.get() > after + 20);
        stop.set(true);
        client.join(10_000);
        assertThat(wrong).isEmpty();
        for (int t : new int[]{0, 1, 2, 3, 99_999}) assertThat(byCookie(frontend, "t" + t)).isEqualTo(TenantsYaml.origin(shard(t, 1)));

        // HAProxy killed: hsdo starts it again from the map file, which holds the whole table.
        ProcessHandle.of(hsdo.haproxy().pid()).orElseThrow().destroyForcibly();
        api.close();
        await().atMost(BULK).ignoreExceptions().untilAsserted(() -> assertThat(map()).hasSize(n));
        assertThat(byCookie(frontend, "t7")).isEqualTo(TenantsYaml.origin(shard(7, 1)));

        // hsdo restarted (HAProxy stopped with it): the stored plan brings the table back.
        hsdo.close();
        hsdo = null;
        api.close();
        startAgain("""
                  shards: %s
                  default-shard: s1
                """.formatted(TenantsYaml.shards()));
        assertThat(map()).hasSize(n).containsEntry("t5", "be" + shard(5, 1).substring(1));
        assertThat(hsdo.agent().tenantStatus().entries()).isEqualTo(n);

        // A hand-made set map in the 100 000-entry map keeps its version and count: the whole map is read back once
        // the verify interval (default 1 minute) has passed on hsdo's clock, and the wrong entry put back.
        String byHand = "be" + shard(5, 2).substring(1);
        assertThat(api.execute(List.of("set map " + dir.resolve("run/tenants.map") + " t5 " + byHand)).getFirst().ok()).isTrue();
        assertThat(byCookie(frontend, "t5")).isEqualTo("o" + byHand.substring(2));
        clock.advance(Duration.ofSeconds(61));
        // Reported once the repair is read back, which comes after the entry is right again.
        await().atMost(CONVERGE).until(() -> hsdo.agent().tenantStatus().driftRepaired() == 1);
        assertThat(byCookie(frontend, "t5")).isEqualTo(TenantsYaml.origin(shard(5, 1)));
    }

    private static String shard(int tenant, int shift) {
        return "s" + ((tenant + shift) % 4 + 1);
    }

    private static String csv(int n, int shift) {
        StringBuilder b = new StringBuilder(n * 12);
        for (int t = 0; t < n; t++) b.append('t').append(t).append(',').append(shard(t, shift)).append('\n');
        return b.toString();
    }
}
