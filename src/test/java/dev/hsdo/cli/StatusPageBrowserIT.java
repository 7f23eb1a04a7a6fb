package dev.hsdo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsdo.store.etcd.EtcdFleetStore;
import dev.hsdo.testing.Chromium;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page of a real {@code hsdo controller} (a child process) over a real etcd, with two agents each
 * driving its own HAProxy, opened in Debian's headless chromium. The fleet and the browser are started once;
 * the tests run in order on it (the last one stops an agent).
 *
 * <p>{@code -Dhsdo.screenshot=docs/status-page.png} saves what the page shows while the guard holds a change back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageBrowserIT {
    private static final String TOKEN = "page-it-token";
    private static final String PREFIX = "/page-it";
    /** How long the page may take to show what the controller knows: two polls and a render, on a loaded machine. */
    private static final Duration PAGE = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private EtcdCluster etcd;
    private EtcdFleetStore reader;
    private FleetHarness fleet;
    private FleetHarness.ControllerProcess controller;
    private Chromium browser;

    @BeforeAll
    void startFleetAndBrowser() throws Exception {
        etcd = EtcdCluster.start(dir.resolve("etcd"), 1);
        reader = new EtcdFleetStore(etcd.endpoints(), PREFIX, Duration.ofSeconds(2), Duration.ofSeconds(1));
        String store = "{type: etcd, endpoints: [%s], prefix: %s, poll-interval: 1s, timeout: 5000ms}"
                .formatted(String.join(", ", etcd.endpoints()), PREFIX);
        fleet = new FleetHarness(dir, store, reader, "o1", "o2", "o3")
                .controllerEnv("HSDO_ADMIN_TOKEN", TOKEN)
                // removing more than half of a backend at once is held back
                .controllerEnv("HSDO_GUARD_MAX_REMOVAL_FRACTION", "0.5");
        controller = fleet.startController("c1", Duration.ofSeconds(3));
        fleet.startAgent("a1", "zone-a");
        fleet.startAgent("a2", "zone-b");
        fleet.serve(List.of("o1", "o2"));
        fleet.awaitConverged(List.of("o1", "o2"));
        browser = Chromium.start(dir.resolve("chromium"));
        browser.driver().get("http://127.0.0.1:" + controller.adminPort + "/");
    }

    @AfterAll
    void stopAll() {
        try (var c1 = browser; var c2 = fleet; var c3 = reader; var c4 = etcd) {
            // closed in reverse order: browser, fleet (agents, controller, origins), store client, etcd
        }
    }

    @Test
    @Order(1)
    void theFleetIsShownAndANewServerInTheSourceAppearsWithinSeconds() {
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() -> {
            assertThat(agentRow("a1").getText()).contains("zone-a").contains(HaproxyFixture.installedVersion());
            assertThat(agentRow("a2").getText()).contains("zone-b");
            assertThat(agentRow("a1").getAttribute("class")).doesNotContain("bad");
            assertThat(serverAddresses()).containsExactlyInAnyOrder(address("o1"), address("o2"));
            // what each agent's HAProxy reports: both origins answer their health checks
            assertThat(browser.text("details[data-backend='app'] summary")).contains("HAProxy on 2 agents: all up");
        });
        assertThat(browser.text("#facts")).contains("c1").contains("leader");

        long added = System.nanoTime();
        fleet.serve(List.of("o1", "o2", "o3"));
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() ->
                assertThat(serverAddresses()).contains(address("o3")));
        Duration shown = Duration.ofNanos(System.nanoTime() - added);
        System.out.printf("a server added to the source was on the page after %d ms%n", shown.toMillis());
        // The controller reads the file source every second and the page polls every 1.5 s.
        assertThat(shown).isLessThan(PAGE);

        // A server nobody answers on: every agent's HAProxy marks it down, and the page names the agents.
        int dead = Ports.free();
        List<String> entries = new ArrayList<>();
        for (String o : List.of("o1", "o2", "o3")) entries.add("address: 127.0.0.1, port: " + fleet.originPorts().get(o));
        entries.add("address: 127.0.0.1, port: " + dead);
        fleet.serveEntries(entries);
        // health checks need a few failures, then the agents' next reports carry it
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.text("details[data-backend='app'] summary")).contains("servers down on 2")
                    .contains("a1: 1 down").contains("a2: 1 down");
            WebElement row = browser.driver().findElement(By.xpath(
                    "//details[@data-backend='app']//tr[td[3][text()='127.0.0.1:" + dead + "']]"));
            assertThat(row.getText()).contains("a1, a2");
            assertThat(row.getAttribute("class")).contains("bad");
        });
    }

    @Test
    @Order(2)
    void theReleaseButtonIsRefusedWithoutTheTokenAndReleasesTheHeldBackChangeWithIt() {
        fleet.serve(List.of("o1"));
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() ->
{
                    assertThat(browser.text("#guard h2")).contains("1 change held back");
                    assertThat(browser.text("#guard tr[data-held='app']")).startsWith("app").contains("release");
                });
        String shot = System.getProperty("hsdo.screenshot", System.getenv("HSDO_SCREENSHOT"));
        if (shot != null && !shot.isBlank()) browser.screenshot(Path.of(shot));

        browser.driver().findElement(By.id("token")).clear();
        clickRelease();
        await().atMost(PAGE).untilAsserted(() -> assertThat(browser.text("#guard-msg")).contains("Refused (401)"));
        // Still held back: nothing was released.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> heldBack() != null);
        assertThat(serverAddresses()).hasSize(4);

        browser.driver().findElement(By.id("token")).sendKeys(TOKEN);
        clickRelease();
        await().atMost(PAGE).untilAsserted(() -> assertThat(browser.text("#guard-msg")).contains("Released"));
        // Every HAProxy now runs the plan without the removed servers, and the page says so.
        fleet.awaitConverged(List.of("o1"));
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() -> {
            assertThat(serverAddresses()).containsExactly(address("o1"));
            assertThat(browser.text("#guard")).contains("no change held back");
        });
    }

    @Test
    @Order(3)
    void aStoppedAgentTurnsRed() {
        await().atMost(PAGE).ignoreExceptions().untilAsserted(() ->
                assertThat(agentRow("a2").getAttribute("class")).doesNotContain("bad"));
        long stopped = System.nanoTime();
        fleet.stopAgent("a2");
        // Its report is renewed every third of its 10 s TTL: stale after two missed renewals, gone after the TTL.
        await().atMost(Duration.ofSeconds(25)).ignoreExceptions().untilAsserted(() -> {
            assertThat(agentRow("a2").getAttribute("class")).contains("bad");
            assertThat(agentRow("a2").getText()).containsAnyOf("stale", "unreachable");
        });
        System.out.printf("a stopped agent turned red on the page after %d ms%n", Duration.ofNanos(System.nanoTime() - stopped).toMillis());
        assertThat(agentRow("a1").getAttribute("class")).doesNotContain("bad");
        assertThat(browser.text("#fleet")).contains("1 need attention");
    }

    /** Clicks the release button of backend app; found again if a refresh replaced it under the click. */
    private void clickRelease() {
        await().atMost(PAGE).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).untilAsserted(() ->
                browser.driver().findElement(By.cssSelector("#guard button.release[data-backend='app']")).click());
    }

    private WebElement agentRow(String id) {
        return browser.driver().findElement(By.cssSelector("#agents tr[data-agent='" + id + "']"));
    }

    private List<String> serverAddresses() {
        return browser.all("details[data-backend='app'] tr[data-server] td:nth-child(3)").stream().map(WebElement::getText).toList();
    }

    private String address(String origin) {
        return "127.0.0.1:" + fleet.originPorts().get(origin);
    }

    private String heldBack() {
        JsonNode b = controller.status().path("plan").path("backends").path("app");
        return b.path("heldBack").isNull() || b.path("heldBack").isMissingNode() ? null : b.path("heldBack").asText();
    }
}
