package dev.hsdo.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendered configs against the real HAProxy 2.6: {@code haproxy -c}, and {@code add server} on a running one. */
class ConfigRendererIT {
    @TempDir
    Path dir;
    private RuntimePaths paths;
    private HsdoConfig config;
    private TestHaproxy haproxy;

    @BeforeEach
    void setUp() {
        paths = RuntimePaths.in(dir);
        RenderFixtures.Binds binds = new RenderFixtures.Binds(bind(), bind(), bind(), bind());
        config = RenderFixtures.config(RenderFixtures.settings(dir, binds, "stdout format raw local0"), binds);
    }

    @AfterEach
    void tearDown() {
        if (haproxy != null) haproxy.close();
    }

    @Test
    void httpAndTcpBackendsWithEveryKindOfServerPassTheCheckWithoutWarnings() throws Exception {
        Files.writeString(paths.configFile(), ConfigRenderer.render(config, RenderFixtures.typicalPlan(7, TestHaproxy.freePort()), paths));

        HaproxyConfigFile.CheckResult checked = HaproxyProcess.check("haproxy", paths.configFile());

        assertThat(checked.ok()).as(checked.output()).isTrue();
        assertThat(checked.output()).doesNotContain("[WARNING]", "[ALERT]");
    }

    @Test
    void renderedServersComeUpWithTheirIdsAndMaintServerDisabled() throws Exception {
        Files.writeString(paths.configFile(), ConfigRenderer.render(config, RenderFixtures.typicalPlan(7, TestHaproxy.freePort()), paths));
        haproxy = TestHaproxy.start(paths.configFile(), paths.adminSocket());

        String state = UnixCli.send(paths.adminSocket(), "show servers state app", Duration.ofSeconds(2));

        // be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state ...
        assertThat(state.lines().skip(2).filter(l -> !l.isBlank()).map(l -> l.split(" ")[2] + " " + l.split(" ")[3] + " " + l.split(" ")[4]))
                .containsExactly("11 a 127.0.0.1", "12 b ::1", "13 c 127.0.0.1", "14 d 127.0.0.1", "15 e 127.0.0.1");
        assertThat(state.lines().filter(l -> l.contains(" e 127.0.0.1")).findFirst().orElseThrow().split(" ")[6])
                .as("srv_admin_state of the maint server: config maint + forced maint").isEqualTo("5");
    }

    @Test
    void everyServerLineIsAcceptedByAddServer() throws Exception {
        Files.writeString(paths.configFile(), ConfigRenderer.render(config, Plan.empty(), paths));
        haproxy = TestHaproxy.start(paths.configFile(), paths.adminSocket());
        Plan plan = RenderFixtures.typicalPlan(7, TestHaproxy.freePort());

        for (BackendPlan backend : plan.backends()) {
            for (ServerPlan s : backend.servers()) {
                String command = "add server " + backend.name() + "/" + s.name() + " " + ServerLine.args(s);
                assertThat(UnixCli.send(paths.adminSocket(), command, Duration.ofSeconds(2)))
                        .as(command).isEqualTo("New server registered.\n\n");
            }
        }
        String state = UnixCli.send(paths.adminSocket(), "show servers state", Duration.ofSeconds(2));
        assertThat(state).contains("app 12 b ::1", "app 13 c 127.0.0.1", "db 22 q 127.0.0.1");
    }

    private static String bind() {
        return "127.0.0.1:" + TestHaproxy.freePort();
    }
}
