package dev.hsdo.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final Path BASE = Path.of("/etc/hsdo");

    private static final String MINIMAL = """
            frontends:
              - {name: fe, bind: 127.0.0.1:8080}
            backends:
              - {name: app}
            sources:
              - {name: servers, path: servers.yaml}
            """;

    private static HsdoConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    private static HsdoConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, BASE, env, "hsdo.yaml");
    }

    private static List<String> errors(String yaml) {
        return errors(yaml, Map.of());
    }

    private static List<String> errors(String yaml, Map<String, String> env) {
        try {
            parse(yaml, env);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
            return e.errors();
        }
        throw new AssertionError("expected a ConfigException");
    }

    /** The minimal config with {@code line} added to the first backend. */
    private static String withBackendKey(String line) {
        return MINIMAL.replace("  - {name: app}", "  - name: app\n    " + line);
    }

    @Test
    void fullConfigIsReadIntoRecords() {
        HsdoConfig c = parse("""
                haproxy:
                  binary: /usr/sbin/haproxy
                  runtime-dir: /var/run/hsdo
                  maxconn: 2000
                  threads: 4
                  log: stdout format raw local0
                  stats-bind: 127.0.0.1:8404
                  health-bind: "*:8405"
                  timeouts: {connect: 2s, client: 1m, server: 5s}
                  hard-stop-after: 1h
                frontends:
                  - {name: web, bind: "[::1]:8080", mode: http, default-backend: app}
                  - {name: db, bind: 0.0.0.0:3306, default-backend: galera}
                backends:
                  - name: app
                    mode: http
                    balance: hdr(Host)
                    hash-type: consistent sdbm avalanche
                    sources: [servers, more]
                    retries: 1
                    health-check:
                      enabled: true
                      method: HEAD
                      path: /healthz?full=1
                      inter: 1s
                      fastinter: 200ms
                      downinter: 5s
                      rise: 3
                      fall: 4
                      timeout: 250
                    server-defaults: {weight: 10, maxconn: 50, ssl: true, ssl-verify: true}
                  - name: galera
                    mode: tcp
                    balance: first
                    sources: [more]
                    health-check: {enabled: false}
                sources:
                  - {name: servers, type: file, path: servers.yaml}
                  - {name: more, type: file, path: /srv/more.json}
                reconcile-interval: 500ms
                drain-period: 0
                guard: {max-removal-fraction: 1}
                admin: {bind: "0.0.0.0:9999", token: s3cret}
                store: {type: file, path: state/plan.json}
                """);

        HealthCheck appCheck = new HealthCheck(true, "HEAD", "/healthz?full=1", Duration.ofSeconds(1),
                Duration.ofMillis(200), Duration.ofSeconds(5), 3, 4, Duration.ofMillis(250));
        HealthCheck defaultCheckDisabled = new HealthCheck(false, "GET", "/", Duration.ofSeconds(2),
                Duration.ofMillis(500), Duration.ofSeconds(2), 2, 3, Duration.ofMillis(500));
        assertThat(c.fleet().agentId()).as("default agent id: host and admin port").isEqualTo(Hosts.name() + ":9999");
        assertThat(withDefaultFleet(c)).isEqualTo(new HsdoConfig(
                new HaproxySettings("/usr/sbin/haproxy", Path.of("/var/run/hsdo"), 2000, 4, "stdout format raw local0",
                        "127.0.0.1:8404", "*:8405", Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofSeconds(5),
                        Duration.ofHours(1)),
                List.of(new FrontendConfig("web", "[::1]:8080", Mode.HTTP, "app"),
                        new FrontendConfig("db", "0.0.0.0:3306", Mode.TCP, "galera")),
                List.of(new BackendConfig("app", Mode.HTTP, "hdr(Host)", "consistent sdbm avalanche",
                                List.of("servers", "more"), appCheck, new ServerDefaults(10, 50, true, true), 1),
                        new BackendConfig("galera", Mode.TCP, "first", null, List.of("more"), defaultCheckDisabled,
                                new ServerDefaults(100, 0, false, false), 3)),
                List.of(new FileSourceConfig("servers", BASE.resolve("servers.yaml")),
                        new FileSourceConfig("more", Path.of("/srv/more.json"))),
                Duration.ofMillis(500), Duration.ZERO, new GuardConfig(1.0),
                new AdminConfig("0.0.0.0:9999", "s3cret"),
                new StoreConfig("file", BASE.resolve("state/plan.json"))));
    }

    @Test
    void minimalConfigGetsDefaults() {
        HsdoConfig c = parse(MINIMAL);

        assertThat(c.fleet().agentId()).as("default agent id: host and admin port").isEqualTo(Hosts.name() + ":9090");
        assertThat(withDefaultFleet(c)).isEqualTo(new HsdoConfig(
                new HaproxySettings("haproxy", BASE.resolve("run"), 0, 1, null, null, null, Duration.ofSeconds(1),
                        Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(30)),
                List.of(new FrontendConfig("fe", "127.0.0.1:8080", Mode.HTTP, "app")),
                List.of(new BackendConfig("app", Mode.HTTP, "uri", "consistent", List.of("servers"),
                        new HealthCheck(true, "GET", "/", Duration.ofSeconds(2), Duration.ofMillis(500),
                                Duration.ofSeconds(2), 2, 3, Duration.ofMillis(500)),
                        new ServerDefaults(100, 0, false, false), 3)),
                List.of(new FileSourceConfig("servers", BASE.resolve("servers.yaml"))),
                Duration.ofSeconds(1), Duration.ofSeconds(10), new GuardConfig(0.5),
                new AdminConfig("127.0.0.1:9090", null), new StoreConfig("file", BASE.resolve("state/plan.json"))));
    }

    @Test
    void tcpBackendDefaultsToRoundrobinWithoutHashTypeAndFrontendTakesItsMode() {
        HsdoConfig c = parse(withBackendKey("mode: tcp"));

        assertThat(c.backends().get(0).balance()).isEqualTo("roundrobin");
        assertThat(c.backends().get(0).hashType()).isNull();
        assertThat(c.frontends().get(0).mode()).isEqualTo(Mode.TCP);
    }

    @Test
    void hashingAlgorithmsDefaultToConsistentHashing() {
        assertThat(parse(withBackendKey("balance: source")).backends().get(0).hashType()).isEqualTo("consistent");
        assertThat(parse(withBackendKey("balance: url_param user check_post")).backends().get(0).hashType()).isEqualTo("consistent");
        assertThat(parse(withBackendKey("balance: leastconn")).backends().get(0).hashType()).isNull();
    }

    @Test
    void jsonIsReadLikeYaml() {
        HsdoConfig c = parse("""
                {"frontends": [{"name": "fe", "bind": "127.0.0.1:8080"}],
                 "backends": [{"name": "app", "balance": "roundrobin"}],
                 "sources": [{"name": "servers", "path": "servers.json"}],
                 "drain-period": "2s"}
                """);

        assertThat(c.backends().get(0).balance()).isEqualTo("roundrobin");
        assertThat(c.drainPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void loadResolvesRelativePathsAgainstTheConfigFilesDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf/hsdo.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, MINIMAL + "haproxy: {binary: ./bin/haproxy, runtime-dir: ../run}\n");

        HsdoConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.sources().get(0)).isEqualTo(new FileSourceConfig("servers", dir.resolve("conf/servers.yaml")));
        assertThat(c.haproxy().runtimeDir()).isEqualTo(dir.resolve("run"));
        assertThat(c.haproxy().binary()).isEqualTo(dir.resolve("conf/bin/haproxy").toString());
        assertThat(c.store().path()).isEqualTo(dir.resolve("conf/state/plan.json"));
    }

    @Test
    void quickstartExampleLoads() {
        HsdoConfig c = ConfigLoader.load(Path.of("examples/quickstart.yaml"), Map.of());

        assertThat(c.frontends()).containsExactly(new FrontendConfig("fe", "127.0.0.1:8080", Mode.HTTP, "app"));
        BackendConfig app = c.backend("app");
        assertThat(app.balance()).isEqualTo("uri");
        assertThat(app.hashType()).isEqualTo("consistent");
        assertThat(c.sources()).containsExactly(new FileSourceConfig("servers",
                Path.of("examples/servers.yaml").toAbsolutePath().normalize()));
        assertThat(c.admin().bind()).isEqualTo("127.0.0.1:9090");
        assertThat(c.haproxy().runtimeDir()).isEqualTo(Path.of("examples/run").toAbsolutePath().normalize());
        assertThat(c.drainPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage(file + ": file not found");
    }

    @Test
    void parseErrorNamesLineAndColumn() {
        assertThat(errors("frontends:\n  - {name: fe, bind: 127.0.0.1:8080\nbackends: []\n"))
                .containsExactly("hsdo.yaml: line 3, column 9: expected ',' or '}', but got : "
                        + "(while parsing a flow mapping started at line 2, column 5)");
    }

    @Test
    void duplicateKeyIsAParseError() {
        assertThat(errors(MINIMAL + "drain-period: 1s\ndrain-period: 2s\n"))
                .containsExactly("hsdo.yaml: line 8, column 13: Duplicate field 'drain-period'");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertThat(errors("- a\n- b\n")).containsExactly("hsdo.yaml: expected a mapping at top level, got a list or a value");
    }

    @Test
    void emptyConfigNeedsFrontendsAndBackends() {
        assertThat(errors("")).containsExactly(
                "hsdo.yaml: backends: at least one entry is required",
                "hsdo.yaml: frontends: at least one entry is required");
    }

    @Test
    void unknownBalanceIsNamedWithTheAlternatives() {
        assertThat(errors(withBackendKey("balance: urii"))).containsExactly(
                "hsdo.yaml: backends[0].balance: unknown value 'urii' (expected one of roundrobin, leastconn, first, "
                        + "random, source, uri, url_param <param>, hdr(<name>), rdp-cookie(<name>))");
    }

    @Test
    void staticRoundRobinIsRejectedBecauseItCannotTakeDynamicServers() {
        assertThat(errors(withBackendKey("balance: static-rr"))).containsExactly(
                "hsdo.yaml: backends[0].balance: 'static-rr' cannot be used: dynamic servers need a dynamic algorithm (use roundrobin)");
    }

    @Test
    void httpOnlyAlgorithmInTcpBackendIsRejected() {
        assertThat(errors(withBackendKey("mode: tcp\n    balance: uri"))).containsExactly(
                "hsdo.yaml: backends[0].balance: 'uri' needs mode http (the backend is mode tcp)");
    }

    @Test
    void onlyConsistentHashTypeIsAccepted() {
        assertThat(errors(withBackendKey("hash-type: map-based"))).containsExactly(
                "hsdo.yaml: backends[0].hash-type: 'map-based' cannot be used: map-based cannot take dynamic servers (use consistent)");
        assertThat(errors(withBackendKey("hash-type: consistent md5"))).containsExactly(
                "hsdo.yaml: backends[0].hash-type: unknown value 'consistent md5' (expected consistent, optionally "
                        + "followed by sdbm, djb2, wt6 or crc32, then avalanche)");
    }

    @Test
    void invalidBindIsNamed() {
        assertThat(errors(MINIMAL.replace("127.0.0.1:8080", "127.0.0.1:99999"))).containsExactly(
                "hsdo.yaml: frontends[0].bind: invalid address '127.0.0.1:99999' (port must be 1..65535)");
        assertThat(errors(MINIMAL.replace("127.0.0.1:8080", "example.com:80"))).containsExactly(
                "hsdo.yaml: frontends[0].bind: invalid address 'example.com:80' (expected host:port with host *, localhost, IPv4 or [IPv6])");
        assertThat(errors(MINIMAL.replace("127.0.0.1:8080", "'[::1:80'"))).containsExactly(
                "hsdo.yaml: frontends[0].bind: invalid address '[::1:80' (expected host:port with host *, localhost, IPv4 or [IPv6])");
    }

    @Test
    void unknownSourceReferenceListsTheDefinedOnes() {
        assertThat(errors(withBackendKey("sources: [servers, srvs]"))).containsExactly(
                "hsdo.yaml: backends[0].sources[1]: unknown source 'srvs' (defined: servers)");
    }

    @Test
    void unknownDefaultBackendListsTheDefinedOnes() {
        assertThat(errors(MINIMAL.replace("bind: 127.0.0.1:8080", "bind: 127.0.0.1:8080, default-backend: ap")))
                .containsExactly("hsdo.yaml: frontends[0].default-backend: unknown backend 'ap' (defined: app)");
    }

    @Test
    void severalBackendsNeedAnExplicitDefaultBackend() {
        assertThat(errors(MINIMAL.replace("  - {name: app}", "  - {name: app}\n  - {name: other}"))).containsExactly(
                "hsdo.yaml: frontends[0].default-backend: is required (defined: app, other)");
    }

    @Test
    void httpFrontendCannotUseTcpBackend() {
        assertThat(errors(withBackendKey("mode: tcp").replace("bind: 127.0.0.1:8080", "bind: 127.0.0.1:8080, mode: http")))
                .containsExactly("hsdo.yaml: frontends[0].mode: an http frontend cannot use tcp backend 'app'");
    }

    @Test
    void unknownTopLevelKeySuggestsTheClosest() {
        assertThat(errors(MINIMAL.replace("backends:", "backend:"))).containsExactly(
                "hsdo.yaml: unknown key 'backend' at top level (did you mean 'backends'?)",
                "hsdo.yaml: backends: at least one entry is required",
                "hsdo.yaml: frontends[0].default-backend: is required (none defined)");
    }

    @Test
    void unknownNestedKeyListsTheAllowedOnesWhenNothingIsClose() {
        assertThat(errors(withBackendKey("balanse: uri"))).containsExactly(
                "hsdo.yaml: backends[0]: unknown key 'balanse' (did you mean 'balance'?)");
        assertThat(errors(MINIMAL + "guard: {zzz: 1}\n")).containsExactly(
                "hsdo.yaml: guard: unknown key 'zzz' (allowed: max-removal-fraction)");
    }

    @Test
    void duplicateNamesAreRejected() {
        assertThat(errors(MINIMAL + "  - {name: servers, path: other.yaml}\n")).containsExactly(
                "hsdo.yaml: sources[1].name: duplicate name 'servers' (also sources[0])");
    }

    @Test
    void twoBindsOnOnePortAreRejected() {
        assertThat(errors(MINIMAL + "admin: {bind: 127.0.0.1:8080}\nhaproxy: {stats-bind: '*:8404', health-bind: 127.0.0.2:8404}\n"))
                .containsExactly(
                        "hsdo.yaml: haproxy.health-bind: port 8404 is also used by haproxy.stats-bind",
                        "hsdo.yaml: admin.bind: port 8080 is also used by frontends[0].bind");
    }

    @Test
    void namesThatCouldInjectAreRejected() {
        assertThat(errors(withBackendKey("").replace("name: app", "name: 'app;shutdown sessions'")
                .replace("bind: 127.0.0.1:8080}", "bind: 127.0.0.1:8080, default-backend: app}"))).containsExactly(
                "hsdo.yaml: backends[0].name: invalid value 'app;shutdown sessions' (letters, digits, '-', '_', '.', ':', at most 64)",
                "hsdo.yaml: frontends[0].default-backend: unknown backend 'app' (defined: app;shutdown sessions)");
        assertThat(errors(MINIMAL.replace("name: fe", "name: \"fe\\nbackend x\""))).containsExactly(
                "hsdo.yaml: frontends[0].name: invalid value 'fe\\nbackend x' (control characters are not allowed)");
    }

    @Test
    void stringsForTheHaproxyConfigRejectControlCharactersAndBadTokens() {
        assertThat(errors(MINIMAL + "haproxy: {log: \"stdout\\nglobal\"}\n")).containsExactly(
                "hsdo.yaml: haproxy.log: invalid value 'stdout\\nglobal' (control characters are not allowed)");
        assertThat(errors(withBackendKey("health-check: {path: /a b, method: 'GET /x'}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.method: invalid value 'GET /x' (an HTTP method: letters, digits, '-', '_')",
                "hsdo.yaml: backends[0].health-check.path: invalid value '/a b' (starts with '/', no spaces, quotes or backslashes)");
    }

    @Test
    void badDurationsAreNamedWithTheirValue() {
        assertThat(errors(MINIMAL + "drain-period: -1s\nreconcile-interval: soon\nhaproxy: {timeouts: {server: 0}}\n"))
                .containsExactly(
                        "hsdo.yaml: haproxy.timeouts.server: invalid duration '0' (must be greater than 0)",
                        "hsdo.yaml: reconcile-interval: invalid duration 'soon' (expected e.g. 500ms, 2s, 1m, 1h or milliseconds)",
                        "hsdo.yaml: drain-period: invalid duration '-1s' (must not be negative)");
    }

    @Test
    void numbersOutOfRangeAreNamed() {
        assertThat(errors(withBackendKey("server-defaults: {weight: 300}") + "haproxy: {threads: 65, maxconn: lots}\nguard: {max-removal-fraction: 0}\n"))
                .containsExactly(
                        "hsdo.yaml: haproxy.maxconn: invalid value 'lots' (expected an integer 0..10000000)",
                        "hsdo.yaml: haproxy.threads: invalid value '65' (expected an integer 1..64)",
                        "hsdo.yaml: backends[0].server-defaults.weight: invalid value '300' (expected an integer 0..256)",
                        "hsdo.yaml: guard.max-removal-fraction: invalid value '0' (expected a number greater than 0 and at most 1)");
    }

    @Test
    void wrongShapesAreNamed() {
        assertThat(errors(MINIMAL + "haproxy: 5\nadmin: {bind: [a]}\n")).containsExactly(
                "hsdo.yaml: haproxy: expected a mapping, got '5'",
                "hsdo.yaml: admin.bind: expected a single value, got a list");
        assertThat(errors(MINIMAL.replace("  - {name: app}", "  - app"))).containsExactly(
                "hsdo.yaml: backends[0]: expected a mapping, got 'app'",
                "hsdo.yaml: frontends[0].default-backend: is required (none defined)");
    }

    @Test
    void unknownSourceAndStoreTypesNameTheSupportedOnes() {
        assertThat(errors(MINIMAL.replace("{name: servers, path: servers.yaml}", "{name: servers, type: nomad}")
                + "store: {type: zookeeper}\n")).containsExactly(
                "hsdo.yaml: sources[0].type: unknown source type 'nomad' (supported: file, dns, consul, aws-asg, aws-ec2-tags, etcd-registry)",
                "hsdo.yaml: store.type: unknown store type 'zookeeper' (supported: file, etcd, dynamodb)");
    }

    @Test
    void nonLoopbackAdminNeedsAToken() {
        assertThat(errors(MINIMAL + "admin: {bind: '*:9090'}\n")).containsExactly(
                "hsdo.yaml: admin.bind: '*:9090' is not a loopback address: set admin.token (HSDO_ADMIN_TOKEN) to expose the admin API");
        assertThat(parse(MINIMAL + "admin: {bind: '[::1]:9090'}\n").admin().bind()).isEqualTo("[::1]:9090");
    }

    @Test
    void emptyAdminBindDisablesTheApi() {
        assertThat(parse(MINIMAL + "admin: {bind: ''}\n").admin()).isEqualTo(new AdminConfig(null, null));
    }

    @Test
    void environmentOverridesFileValuesAndDefaults() {
        HsdoConfig c = parse(MINIMAL + "drain-period: 30s\n", Map.of(
                "HSDO_ADMIN_BIND", "127.0.0.1:9999",
                "HSDO_DRAIN_PERIOD", "5s",
                "HSDO_BACKENDS_0_BALANCE", "roundrobin",
                "HSDO_HAPROXY_TIMEOUTS_SERVER", "5s",
                "HSDO_ADMIN_TOKEN", "t0ken",
                "HSDO_BACKENDS_0_HEALTH_CHECK_PATH", "/ping",
                "HSDO_CONFIG", "/elsewhere/hsdo.yaml",
                "HSDO_JAVA_OPTS", "-Xmx64m",
                "HSDO_JAR", "/opt/hsdo/hsdo.jar",
                "PATH", "/usr/bin"));

        assertThat(c.admin()).isEqualTo(new AdminConfig("127.0.0.1:9999", "t0ken"));
        assertThat(c.drainPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.backends().get(0).balance()).isEqualTo("roundrobin");
        assertThat(c.backends().get(0).hashType()).isNull();
        assertThat(c.backends().get(0).healthCheck().path()).isEqualTo("/ping");
        assertThat(c.haproxy().timeoutServer()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void haproxyOutlivesHsdoUnlessStopWithHsdoIsSet() {
        assertThat(parse(MINIMAL).haproxy().stopWithHsdo()).isFalse();
        assertThat(parse(MINIMAL + "haproxy: {stop-with-hsdo: true}\n").haproxy().stopWithHsdo()).isTrue();
        assertThat(parse(MINIMAL, Map.of("HSDO_HAPROXY_STOP_WITH_HSDO", "true")).haproxy().stopWithHsdo()).isTrue();
    }

    @Test
    void stopWithHsdoMustBeTrueOrFalseInTheFileAndInItsVariable() {
        assertThat(errors(MINIMAL + "haproxy: {stop-with-hsdo: maybe}\n")).containsExactly(
                "hsdo.yaml: haproxy.stop-with-hsdo: invalid value 'maybe' (expected true or false)");
        assertThat(errors(MINIMAL, Map.of("HSDO_HAPROXY_STOP_WITH_HSDO", "yes")))
                .singleElement().asString().contains("HSDO_HAPROXY_STOP_WITH_HSDO").contains("'yes'");
    }

    @Test
    void environmentSetsAListOfNamesCommaSeparated() {
        HsdoConfig c = parse(MINIMAL + "  - {name: more, path: more.yaml}\n", Map.of("HSDO_BACKENDS_0_SOURCES", "servers, more"));

        assertThat(c.backends().get(0).sources()).containsExactly("servers", "more");
    }

    @Test
    void errorsInOverriddenValuesNameTheVariable() {
        assertThat(errors(MINIMAL, Map.of("HSDO_BACKENDS_0_BALANCE", "x", "HSDO_BACKENDS_0_SOURCES", "servers,srvs")))
                .containsExactly(
                        "HSDO_BACKENDS_0_BALANCE (backends[0].balance): unknown value 'x' (expected one of roundrobin, "
                                + "leastconn, first, random, source, uri, url_param <param>, hdr(<name>), rdp-cookie(<name>))",
                        "HSDO_BACKENDS_0_SOURCES (backends[0].sources[1]): unknown source 'srvs' (defined: servers)");
        assertThat(errors(MINIMAL, Map.of("HSDO_ADMIN_BIND", "0.0.0.0:8080"))).containsExactly(
                "HSDO_ADMIN_BIND (admin.bind): port 8080 is also used by frontends[0].bind",
                "HSDO_ADMIN_BIND (admin.bind): '0.0.0.0:8080' is not a loopback address: set admin.token (HSDO_ADMIN_TOKEN) to expose the admin API");
    }

    @Test
    void variableForAnUnknownKeyIsAnError() {
        assertThat(errors(MINIMAL, Map.of("HSDO_DRAIN_PERIOID", "5s", "HSDO_BACKENDS_3_BALANCE", "uri", "HSDO_ADMIN", "x")))
                .containsExactly(
                        "HSDO_ADMIN: no configuration key is set by this variable",
                        "HSDO_BACKENDS_3_BALANCE: no configuration key is set by this variable (did you mean HSDO_BACKENDS_0_BALANCE?)",
                        "HSDO_DRAIN_PERIOID: no configuration key is set by this variable (did you mean HSDO_DRAIN_PERIOD?)");
    }

    @Test
    void invalidTokenIsNotRepeatedInTheError() {
        assertThat(errors(MINIMAL, Map.of("HSDO_ADMIN_TOKEN", "my secret"))).containsExactly(
                "HSDO_ADMIN_TOKEN (admin.token): invalid value (spaces and control characters are not allowed; value not shown)");
    }

    @Test
    void everyProblemIsReportedTogether() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> parse("""
                frontends:
                  - {name: fe, bind: 127.0.0.1:99999, default-backend: app}
                backends:
                  - {name: app, balance: urii, sources: [srvs]}
                  - {name: app, balance: roundrobin, sources: [servers], retries: -1}
                sources:
                  - {name: servers, path: servers.yaml}
                drain-period: forever
                extra: 1
                """, Map.of("HSDO_STORE_TYPE", "zookeeper")));

        assertThat(e.errors()).containsExactly(
                "hsdo.yaml: unknown key 'extra' at top level (allowed: haproxy, frontends, backends, sources, "
                        + "reconcile-interval, drain-period, guard, admin, store, fleet, peers, tenants)",
                "hsdo.yaml: backends[0].balance: unknown value 'urii' (expected one of roundrobin, leastconn, first, "
                        + "random, source, uri, url_param <param>, hdr(<name>), rdp-cookie(<name>))",
                "hsdo.yaml: backends[0].sources[0]: unknown source 'srvs' (defined: servers)",
                "hsdo.yaml: backends[1].name: duplicate name 'app' (also backends[0])",
                "hsdo.yaml: backends[1].retries: invalid value '-1' (expected an integer 0..100)",
                "hsdo.yaml: frontends[0].bind: invalid address '127.0.0.1:99999' (port must be 1..65535)",
                "hsdo.yaml: drain-period: invalid duration 'forever' (expected e.g. 500ms, 2s, 1m, 1h or milliseconds)",
                "HSDO_STORE_TYPE (store.type): unknown store type 'zookeeper' (supported: file, etcd, dynamodb)");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
    }

    /** {@code c} with the fleet defaults of a config built in code (whose agent id is the bare host name). */
    private static HsdoConfig withDefaultFleet(HsdoConfig c) {
        return new HsdoConfig(c.haproxy(), c.frontends(), c.backends(), c.sources(), c.reconcileInterval(),
                c.drainPeriod(), c.guard(), c.admin(), c.store(), FleetConfig.defaults());
    }
}
