package dev.hsdo.cli;

import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import dev.hsdo.testing.ServerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every hsdo command as a user runs it: the built jar as a separate process, its output and exit code. */
class CommandsAsProcessesIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    private Path config(int frontend, String... servers) throws Exception {
        Path c = StandaloneYaml.write(dir, frontend, "");
        ServerFile.write(dir.resolve("servers.yaml"), List.of(servers));
        return c;
    }

    private Path twoServers() throws Exception {
        return config(Ports.free(), "name: web1, address: 127.0.0.1, port: 9001", "name: web2, address: 127.0.0.1, port: 9002");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "sidecar", "controller", "agent", "quickstart", "render", "plan", "validate", "version"})
    void everyCommandAnswersHelpWithItsUsageAndExitsZero(String command) {
        HsdoJar.Result r = HsdoJar.run(dir, Map.of(), command, "--help");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: hsdo " + command).contains("--help");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void versionPrintsTheVersionLikeDashDashVersion() {
        HsdoJar.Result command = HsdoJar.run(dir, Map.of(), "version");
        HsdoJar.Result option = HsdoJar.run(dir, Map.of(), "--version");

        assertThat(command.code()).isZero();
        assertThat(command.out()).matches("hsdo \\S+\n");
        assertThat(option.out()).isEqualTo(command.out());
    }

    @Test
    void validateExitsZeroOnAGoodConfigAndTwoNamingTheBadKeyAndValue() throws Exception {
        Path good = twoServers();
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(good).replace("balance: uri", "balance: urii"));

        HsdoJar.Result ok = HsdoJar.run(dir, Map.of(), "validate", "-c", good.toString());
        HsdoJar.Result rejected = HsdoJar.run(dir, Map.of(), "validate", "-c", bad.toString());

        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("valid (1 frontends, 1 backends, 1 sources)");
        assertThat(rejected.code()).isEqualTo(2);
        assertThat(rejected.err()).contains("backends[0].balance: unknown value 'urii'");
        assertThat(rejected.out()).isEmpty();
    }

    @Test
    void validateSidecarChecksTheEnvironmentAsTheSidecarReadsIt() {
        HsdoJar.Result ok = HsdoJar.run(dir, Map.of("DISCOVERY_DNS_NAME", "_http._tcp.store.example.com.",
                "HAPROXY_BIND", "127.0.0.1:8888", "HSDO_DATA_DIR", dir.resolve("data").toString()), "validate", "--sidecar");
        HsdoJar.Result rejected = HsdoJar.run(dir, Map.of("DISCOVERY_DNS_NAME", "_http._tcp.store.example.com.",
                "HAPROXY_SLOTS", "many"), "validate", "--sidecar");

        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("valid for hsdo sidecar (frontend 127.0.0.1:8888");
        assertThat(rejected.code()).isEqualTo(2);
        assertThat(rejected.err()).contains("HAPROXY_SLOTS: invalid value 'many'");
        // Nothing was started: the data directory of a sidecar is not even created.
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void renderPrintsTheWholeConfigWithTheBackendAndItsServers() throws Exception {
        HsdoJar.Result r = HsdoJar.run(dir, Map.of(), "render", "-c", twoServers().toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# rendered by hsdo").contains("\nglobal\n").contains("\nbackend app\n")
                .containsPattern("server web1 127\\.0\\.0\\.1:9001 id \\d+")
                .containsPattern("server web2 127\\.0\\.0\\.1:9002 id \\d+")
                .endsWith("\n");
    }

    @Test
    void planPrintsTheServersAndTheDiffAgainstTheLiveHaproxy() throws Exception {
        Path c = twoServers();
        HaproxyFixture live = running.add(HaproxyFixture.start(Files.createDirectories(dir.resolve("live")),
                HaproxyFixture.HTTP_DEFAULTS + """
                        backend app
                          balance uri
                          hash-type consistent
                        """));

        HsdoJar.Result r = HsdoJar.run(dir, Map.of(), "plan", "-c", c.toString(), "--socket", live.adminSocket().toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("backend app (2 servers)")
                .containsPattern("add server app/web1 127\\.0\\.0\\.1:9001 id \\d+");
        assertThat(live.cli("show servers state app")).doesNotContain("web1");
    }

    @Test
    void runServesUntilSigtermAndItsHaproxyKeepsServingAfterIt() throws Exception {
        Origins origins = running.add(Origins.start(dir, "o1"));
        int frontend = Ports.free();
        Path c = config(frontend, "name: o1, address: 127.0.0.1, port: " + origins.port("o1"));
        LeftHaproxy haproxy = running.add(new LeftHaproxy(dir.resolve("run")));
        HsdoJar.Started hsdo = running.add(HsdoJar.start(dir, Map.of(), false, dir.resolve("run.log"), "run", "-c", c.toString()));

        await().atMost(Duration.ofSeconds(60)).until(() -> hsdo.output().contains("hsdo running: 1 frontends, admin disabled"));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> Http.get(frontend, "/a").equals("o1\n"));
        long master = haproxy.masterPid();

        assertThat(hsdo.terminate(Duration.ofSeconds(20))).as("hsdo run stops on SIGTERM:\n%s", hsdo.output()).isTrue();
        assertThat(haproxy.masterPid()).as("the same HAProxy master keeps running").isEqualTo(master).isPositive();
        assertThat(Http.get(frontend, "/b")).isEqualTo("o1\n");
    }
}
