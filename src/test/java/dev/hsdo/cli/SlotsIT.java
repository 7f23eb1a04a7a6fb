package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.ServersStateParser;
import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Running;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slots mode against a hand-written {@code haproxy.cfg} with a {@code server-template}, as HSDO and iri-lb
 * users keep it: hsdo fills the slots through the Runtime API and touches nothing else.
 */
class SlotsIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    /** Slot name → address:port, or "maint", for every slot of backend be, as HAProxy reports it. */
    private static Map<String, String> slots(HaproxyFixture lb) {
        Map<String, String> out = new TreeMap<>();
        for (ServerStateRow row : ServersStateParser.parse(lb.cli("show servers state be")))
            out.put(row.serverName(), row.isMaint() ? "maint" : row.address() + ":" + row.port());
        return out;
    }

    private static Set<String> answers(int port) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) seen.add(Http.get(port, "/k/" + i).trim());
        return seen;
    }

    @Test
    void slotsAreFilledKeptAndReleasedAndOverflowIsReportedWithoutTouchingOtherBackends() throws Exception {
        Origins origins = Origins.start(dir, "o1", "o2", "o3", "o4", "o5", "keep");
        running.add(origins);
        HaproxyFixture lb = HaproxyFixture.start(Files.createDirectories(dir.resolve("lb")), HaproxyFixture.HTTP_DEFAULTS + """
                frontend fe
                  bind 127.0.0.1:${port:fe}
                  use_backend other if { path_beg /other }
                  default_backend be
                backend be
                  balance uri
                  hash-type consistent
                  server-template srv 1-3 127.0.0.1:9 check inter 500ms disabled
                backend other
                  server keep 127.0.0.1:%d
                """.formatted(origins.port("keep")));
        running.add(lb);
        Path home = Files.createDirectories(dir.resolve("hsdo"));
        Files.writeString(home.resolve("hsdo.yaml"), """
                backends: [{name: be, sources: [servers], slots: 3, slot-prefix: srv}]
                sources: [{name: servers, type: file, path: servers.yaml}]
                drain-period: 0s
                guard: {max-removal-fraction: 1}
                admin: {bind: ""}
                fleet: {haproxy-socket: "%s"}
                """.formatted(lb.adminSocket()));
        Path servers = home.resolve("servers.yaml");
        ServerFile.write(servers, List.of("name: a, address: 127.0.0.1, port: " + origins.port("o1"),
                "name: b, address: 127.0.0.1, port: " + origins.port("o2")));
        Standalone hsdo = Standalone.start(ConfigLoader.load(home.resolve("hsdo.yaml"), Map.of()), Clock.systemUTC());
        running.add(hsdo);
        int fe = lb.port("fe");

        await().atMost(Duration.ofSeconds(10)).until(() -> hsdo.agent().status().converged());
        assertThat(slots(lb)).isEqualTo(Map.of("srv1", "127.0.0.1:" + origins.port("o1"),
                "srv2", "127.0.0.1:" + origins.port("o2"), "srv3", "maint"));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(answers(fe)).containsExactlyInAnyOrder("o1", "o2"));

        // a leaves, c and d arrive: b keeps slot 2, c takes a's slot 1, d the free slot 3.
        ServerFile.write(servers, List.of("name: b, address: 127.0.0.1, port: " + origins.port("o2"),
                "name: c, address: 127.0.0.1, port: " + origins.port("o3"),
                "name: d, address: 127.0.0.1, port: " + origins.port("o4")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slots(lb)).isEqualTo(Map.of(
                "srv1", "127.0.0.1:" + origins.port("o3"), "srv2", "127.0.0.1:" + origins.port("o2"),
                "srv3", "127.0.0.1:" + origins.port("o4"))));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(answers(fe)).containsExactlyInAnyOrder("o2", "o3", "o4"));

        // One endpoint more than slots: reported as a problem of the plan, never silently dropped, and what was
        // served stays. The agent applied that plan as far as it goes: its applied generation follows and it
        // stays ready, so that a readiness probe or lag alert does not fire on every healthy agent.
        ServerFile.write(servers, List.of("name: b, address: 127.0.0.1, port: " + origins.port("o2"),
                "name: c, address: 127.0.0.1, port: " + origins.port("o3"),
                "name: d, address: 127.0.0.1, port: " + origins.port("o4"),
                "name: e, address: 127.0.0.1, port: " + origins.port("o5")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hsdo.agent().status().planProblems())
                .containsExactly("backend be: 1 endpoints do not fit in 3 slots and are not served: e"));
        assertThat(hsdo.controller().current().backend("be").heldBack()).contains("not served: e");
        await().atMost(Duration.ofSeconds(10)).until(() -> hsdo.agent().status().converged());
        assertThat(hsdo.agent().status().lastErrors()).isEmpty();
        assertThat(hsdo.agent().status().appliedGeneration()).isEqualTo(hsdo.controller().current().generation());
        assertThat(hsdo.notReadyReason()).isNull();
        assertThat(hsdo.registry.scrape()).contains("hsdo_plan_problems 1.0");
        assertThat(slots(lb)).doesNotContainValue("127.0.0.1:" + origins.port("o5")).doesNotContainValue("maint");
        assertThat(answers(fe)).containsExactlyInAnyOrder("o2", "o3", "o4");

        assertThat(Http.get(fe, "/other").trim()).as("a backend hsdo does not manage is left alone").isEqualTo("keep");
        assertThat(lb.cli("show servers state other")).contains("keep");
    }
}
