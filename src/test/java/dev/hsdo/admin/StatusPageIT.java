package dev.hsdo.admin;

import dev.hsdo.model.Plan;
import dev.hsdo.testing.Chromium;
import dev.hsdo.testing.Http;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page in Debian's headless chromium, served by a real {@link AdminServer} over a hand-built status
 * document (a small fake {@link AdminView}): the sections that appear only when the document has them (active/
 * backup, peers, tenants), a fleet of 100 agents and a backend of 1000 servers, the filter and its bookmarkable
 * URL, and the token rules of the release button. The real fleet is in {@code StatusPageBrowserIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageIT {
    private static final String TOKEN = "t0k-page";
    private static final Duration PAGE = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @TempDir
    static Path dir;
    private final FakeView view = new FakeView();
    private AdminServer server;
    private Chromium browser;

    @BeforeAll
    void start() throws Exception {
        server = new AdminServer(new InetSocketAddress("127.0.0.1", 0), view, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), TOKEN);
        server.start();
        browser = Chromium.start(dir.resolve("chromium"));
    }

    @AfterAll
    void stop() {
        try (var b = browser; var s = server) {
            // browser first, then the server
        }
    }

    @Test
    void thePageIsOneResourceThatLoadsNothingFromElsewhere() {
        HttpResponse<String> r = Http.fetch(server.port(), "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p ->
                assertThat(p).contains("default-src 'none'").contains("connect-src 'self'"));
        assertThat(r.body()).doesNotContainPattern("(?i)(src|href)\\s*=").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("@import");
    }

    @Test
    void aFleetOf100AgentsAndA1000ServerBackendStaysCompactAndTheFilterFindsAServer() {
        view.doc = controllerDoc();
        open("/");
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() -> assertThat(browser.all("#agents tbody tr")).hasSize(100));
        // The agents that need attention come first, in red; the others are fine.
        @SuppressWarnings("unchecked")
        List<String> red = (List<String>) browser.driver().executeScript(
                "return [...document.querySelectorAll('#agents tbody tr.bad')].map(r => r.dataset.agent)");
        assertThat(red).containsExactly("a-007", "a-042");
        assertThat(browser.text("#agents tr[data-agent='a-007']")).contains("stale");
        assertThat(browser.text("#agents tr[data-agent='a-042']")).contains("lagging 2 generations");
        assertThat(browser.text("#fleet h2")).contains("100 agents").contains("2 need attention");
        assertThat(browser.text("#facts")).contains("follower").contains("c2");
        // The fields other features add show up once the document has them.
        assertThat(browser.text("#agents thead")).contains("active server").contains("tenants gen.");
        assertThat(browser.text("#active-backup tr[data-ab='galera']")).contains("agents disagree").contains("a-000: n1").contains("a-001: n2");
        assertThat(browser.all("#active-backup tr[data-ab='galera']").getFirst().getAttribute("class")).contains("bad");
        assertThat(browser.text("#tenants h2")).contains("10,000 entries").contains("1 rejected").contains("1 moves pending");
        // The big backend is a summary line until opened or filtered; the page stays a few screens long.
        assertThat(browser.text("details[data-backend='big'] summary")).contains("1,000 servers").contains("998 ready").contains("1 draining");
        assertThat(browser.text("details[data-backend='big'] summary")).contains("HAProxy on 100 agents: servers down on 1")
                .contains("a-011: 1 down").contains("500 sessions");
        assertThat(browser.all("details[data-backend='big'] tr[data-server]")).isEmpty();
        long height = (Long) browser.driver().executeScript("return document.documentElement.scrollHeight");
        assertThat(height).isLessThan(6000);

        browser.driver().findElement(By.id("filter")).sendKeys("srv-0999");
        await().atMost(PAGE).untilAsserted(() -> {
            assertThat(browser.all("details[data-backend='big'] tr[data-server]")).hasSize(1);
            assertThat(browser.text("details[data-backend='big'] tr[data-server='srv-0999']")).contains("10.0.3.249:8080");
        });
        assertThat(browser.driver().getCurrentUrl()).endsWith("/?q=srv-0999");
        assertThat(browser.all("details[data-backend='galera']")).isEmpty();
    }

    @Test
    void aBookmarkedBackendShowsItsServersAPageAtATime() {
        view.doc = controllerDoc();
        open("/?backend=big");
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.all("details[data-backend='big'] tr[data-server]")).hasSize(200));
        assertThat(browser.all("details[data-backend]")).hasSize(1);
        assertThat(browser.text("details[data-backend='big'] tr[data-server='srv-0003']")).contains("drain").contains("in 30 s");
        assertThat(browser.text("details[data-backend='big'] tr[data-server='srv-0004']")).contains("ramping since").contains("maint");
        assertThat(browser.text("details[data-backend='big'] tr[data-server='srv-0005']")).contains("a-011");
        assertThat(browser.all("details[data-backend='big'] tr[data-server='srv-0005']").getFirst().getAttribute("class")).contains("bad");
        assertThat(browser.all("details[data-backend='big'] tr[data-server='srv-0006']").getFirst().getAttribute("class")).doesNotContain("bad");
        assertThat(browser.text("details[data-backend='big'] .more")).contains("800 more");
        clickStable("details[data-backend='big'] button.show-more");
        await().atMost(PAGE).untilAsserted(() -> assertThat(browser.all("details[data-backend='big'] tr[data-server]")).hasSize(400));
    }

    @Test
    void aNodeShowsWhatItsHaproxyReportsItsActiveServerAndItsPeers() {
        view.doc = nodeDoc();
        open("/");
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.text("details[data-backend='app'] tr[data-server='s2']")).contains("DOWN"));
        assertThat(browser.all("details[data-backend='app'] tr[data-server='s2']").getFirst().getAttribute("class")).contains("bad");
        assertThat(browser.text("details[data-backend='app'] tr[data-server='s1']")).contains("UP").contains("3");
        assertThat(browser.all("details[data-backend='app'] tr[data-server='s1']").getFirst().getAttribute("class")).doesNotContain("bad");
        assertThat(browser.text("details[data-backend='app'] summary")).contains("HAProxy 1 up").contains("1 down");
        assertThat(browser.text("#active-backup tr[data-ab='galera']")).contains("n2 (id 202)");
        assertThat(browser.text("#active-backup tr[data-peer='hp-a']")).contains("127.0.0.1:10001").contains("this HAProxy");
        assertThat(browser.text("#active-backup tr[data-peer='hp-b']")).doesNotContain("this HAProxy");
        assertThat(browser.text("#agent")).contains("in step");
        assertThat(browser.all("#fleet")).isEmpty();
        assertThat(browser.all("#tenants")).isEmpty();
    }

    @Test
    void theReleaseButtonSendsTheTypedTokenAndIsRefusedWithoutIt() {
        view.doc = nodeDoc();
        open("/");
        browser.driver().findElement(By.id("forget")).click();
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.all("#guard button.release[data-backend='app']")).hasSize(1));
        clickStable("#guard button.release[data-backend='app']");
        await().atMost(PAGE).untilAsserted(() -> assertThat(browser.text("#guard-msg")).contains("Refused (401)").contains("type the admin token"));
        assertThat(view.released).isEmpty();

        browser.driver().findElement(By.id("token")).sendKeys("wrong");
        clickStable("#guard button.release[data-backend='app']");
        await().atMost(PAGE).untilAsserted(() -> assertThat(browser.text("#guard-msg")).contains("Refused (401)").doesNotContain("type the admin token"));
        assertThat(view.released).isEmpty();

        browser.driver().findElement(By.id("token")).clear();
        browser.driver().findElement(By.id("token")).sendKeys(TOKEN);
        clickStable("#guard button.release[data-backend='app']");
        await().atMost(PAGE).untilAsserted(() -> assertThat(browser.text("#guard-msg")).contains("Released"));
        assertThat(view.released).containsExactly("app");
        // The token stays for this tab only: a reload keeps it.
        browser.driver().navigate().refresh();
        assertThat(browser.driver().findElement(By.id("token")).getAttribute("value")).isEqualTo(TOKEN);
    }

    private void open(String path) {
        browser.driver().get("http://127.0.0.1:" + server.port() + path);
    }

    private void clickStable(String css) {
        await().atMost(PAGE).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).untilAsserted(() ->
                browser.driver().findElement(By.cssSelector(css)).click());
    }

    /** A controller following c2, with 100 agents (one stale, one lagging), a 1000-server backend, active/backup and tenants. */
    private static Map<String, Object> controllerDoc() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("controller", Map.of("id", "c1", "leader", false, "leaderId", "c2"));
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", "srv-%04d".formatted(i));
            s.put("id", 1000 + i);
            s.put("identity", "10.0.%d.%d:8080".formatted(i / 250, i % 250));
            s.put("address", "10.0.%d.%d:8080".formatted(i / 250, i % 250));
            s.put("weight", i == 4 ? 25 : 100);
            s.put("state", i == 3 ? "drain" : i == 4 ? "maint" : "ready");
            s.put("zone", "z" + i % 3);
            s.put("drainUntil", i == 3 ? NOW.plusSeconds(30).toString() : null);
            s.put("rampSince", i == 4 ? NOW.minusSeconds(20).toString() : null);
            members.add(s);
        }
        doc.put("plan", Map.of("generation", 9, "digest", "abcdef0123456789", "backends", Map.of(
                "big", backend(members, null),
                "galera", backend(List.of(server("n1", 101), server("n2", 202)), null))));
        doc.put("sources", Map.of("registry", Map.of("state", "healthy", "healthy", true, "endpoints", 1002,
                "rejected", List.of("10.0.0.1:0: port 0 out of range"), "readAt", NOW.toString())));
        List<Map<String, Object>> agents = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", "a-%03d".formatted(i));
            a.put("zone", "z" + i % 3);
            a.put("haproxyVersion", "2.6.12");
            a.put("appliedGeneration", i == 42 ? 7 : 9);
            a.put("behind", i == 42 ? 2 : 0);
            a.put("appliedAt", NOW.minusSeconds(60).toString());
            a.put("lastError", null);
            a.put("reportedAt", NOW.minusSeconds(i == 7 ? 20 : 2).toString());
            a.put("planProblems", List.of());
            a.put("activeBackup", Map.of("galera", i == 1 ? "n2" : "n1"));
            a.put("tenantGeneration", 7);
            // agent a-011's HAProxy finds srv-0005 down; the others find every server up
            a.put("haproxy", Map.of("big", Map.of("up", i == 11 ? 998 : 999, "down", i == 11 ? 1 : 0, "maint", 1, "sessions", 5,
                    "downServers", i == 11 ? List.of("srv-0005") : List.of())));
            agents.add(a);
        }
        doc.put("fleet", Map.of("generation", 9, "converged", 99, "agents", agents));
        doc.put("activeBackup", List.of(Map.of("backend", "galera", "agreed", false, "active", sorted(Map.of("a-000", "n1", "a-001", "n2")))));
        doc.put("tenants", Map.of("generation", 7, "entries", 10000,
                "rejected", List.of(Map.of("tenant", "a b", "shard", "s1", "reason", "a space in a tenant id")),
                "moves", List.of(Map.of("tenant", "t1", "from", "shard-1", "to", "shard-2", "generation", 7, "done", false))));
        doc.put("now", NOW.toString());
        doc.put("statusTtlMs", 15000);
        return doc;
    }

    /** A standalone node: HAProxy reports s1 up with 3 sessions and s2 down; active/backup and peers; a held-back change. */
    private static Map<String, Object> nodeDoc() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("plan", Map.of("generation", 4, "digest", "0123abcd", "backends", Map.of(
                "app", backend(List.of(server("s1", 11), server("s2", 12)), "would remove 2 of 3 serving servers"))));
        doc.put("agent", Map.of("desiredGeneration", 4, "appliedGeneration", 4, "appliedAt", NOW.toString(), "haproxyReachable", true,
                "lastErrors", List.of(), "pending", List.of(), "planProblems", List.of()));
        doc.put("sources", Map.of());
        doc.put("haproxy", Map.of("pid", 1234, "starts", 1, "servers", Map.of("app", Map.of(
                "s1", Map.of("status", "UP", "sessions", 3, "totalSessions", 40, "queue", 0, "weight", 100),
                "s2", Map.of("status", "DOWN", "sessions", 0, "totalSessions", 12, "queue", 0, "weight", 100)))));
        doc.put("activeBackup", List.of(Map.of("backend", "galera", "active", "n2", "activeId", 202)));
        doc.put("peers", List.of(Map.of("name", "hp-a", "address", "127.0.0.1:10001", "local", true),
                Map.of("name", "hp-b", "address", "127.0.0.1:10002", "local", false)));
        return doc;
    }

    private static Map<String, Object> backend(List<Map<String, Object>> members, String heldBack) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("servers", members.size());
        b.put("heldBack", heldBack);
        b.put("members", members);
        return b;
    }

    private static Map<String, Object> server(String name, int id) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("id", id);
        s.put("identity", "127.0.0.1:" + (20000 + id));
        s.put("address", "127.0.0.1:" + (20000 + id));
        s.put("weight", 100);
        s.put("state", "ready");
        return s;
    }

    private static Map<String, Object> sorted(Map<String, Object> m) {
        return new java.util.TreeMap<>(m);
    }

    /** Serves whatever document the test put in {@link #doc}; records the guard releases it is asked for. */
    private static final class FakeView implements AdminView {
        volatile Map<String, Object> doc = Map.of();
        final List<String> released = new CopyOnWriteArrayList<>();

        @Override
        public Plan plan() {
            return Plan.empty();
        }

        @Override
        public Map<String, Object> status() {
            return doc;
        }

        @Override
        public String notReadyReason() {
            return null;
        }

        @Override
        public boolean releaseGuard(String backend) {
            released.add(backend);
            return true;
        }

        @Override
        public void reconcileNow() {
            // nothing to reconcile here
        }
    }
}
