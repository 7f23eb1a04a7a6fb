package dev.hsdo.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code store} kinds of fleet mode and the {@code fleet} section. */
class FleetConfigLoaderTest {
    private static final String MINIMAL = """
            frontends: [{name: fe, bind: 127.0.0.1:8080}]
            backends: [{name: app}]
            sources: [{name: servers, path: servers.yaml}]
            """;

    private static HsdoConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(MINIMAL + yaml, Path.of("/etc/hsdo"), env, "hsdo.yaml");
    }

    private static List<String> errors(String yaml, Map<String, String> env) {
        try {
            parse(yaml, env);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void etcdStoreTakesEndpointsAndPrefix() {
        StoreConfig s = parse("""
                store: {type: etcd, endpoints: ["http://10.0.0.1:2379", "http://10.0.0.2:2379"], prefix: /hsdo/prod,
                        poll-interval: 5s, timeout: 2s}
                """, Map.of()).store();
        assertThat(s).isEqualTo(new StoreConfig("etcd", null, List.of("http://10.0.0.1:2379", "http://10.0.0.2:2379"),
                "/hsdo/prod", null, null, null, Duration.ofSeconds(5), Duration.ofSeconds(2)));
    }

    @Test
    void dynamodbStoreIsSetFromTheEnvironmentAlone() {
        StoreConfig s = parse("", Map.of("HSDO_STORE_TYPE", "dynamodb", "HSDO_STORE_TABLE", "hsdo-plans",
                "HSDO_STORE_REGION", "eu-west-1", "HSDO_STORE_ENDPOINT", "http://127.0.0.1:8000")).store();
        assertThat(s.type()).isEqualTo("dynamodb");
        assertThat(s.table()).isEqualTo("hsdo-plans");
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.endpoint()).isEqualTo("http://127.0.0.1:8000");
        assertThat(s.prefix()).isEqualTo("/hsdo");
    }

    @Test
    void storeErrorsNameTheKeyAndValue() {
        assertThat(errors("store: {type: etcd}", Map.of()))
                .containsExactly("hsdo.yaml: store.endpoints: at least one etcd URL is required, e.g. http://127.0.0.1:2379");
        assertThat(errors("store: {type: etcd, endpoints: [\"10.0.0.1:2379\"]}", Map.of()))
                .containsExactly("hsdo.yaml: store.endpoints[0]: invalid value '10.0.0.1:2379' (http://host:port or https://host:port)");
        assertThat(errors("store: {type: dynamodb}", Map.of())).containsExactly("hsdo.yaml: store.table: is required");
        assertThat(errors("store: {type: dynamodb, table: t, endpoints: [x]}", Map.of()))
                .anyMatch(e -> e.contains("store: unknown key 'endpoints'"));
        assertThat(errors("store: {type: consul}", Map.of()))
                .containsExactly("hsdo.yaml: store.type: unknown store type 'consul' (supported: file, etcd, dynamodb)");
    }

    @Test
    void fleetSectionSetsIdsZoneAndLeases() {
        FleetConfig f = parse("""
                fleet: {agent-id: lb-1, zone: eu-west-1a, controller-id: ctl-1, lease-ttl: 5s, status-ttl: 9s}
                """, Map.of()).fleet();
        assertThat(f).isEqualTo(new FleetConfig("lb-1", "eu-west-1a", "ctl-1", Duration.ofSeconds(5), Duration.ofSeconds(9), null));
        assertThat(parse("", Map.of("HSDO_FLEET_ZONE", "b")).fleet().zone()).isEqualTo("b");
        assertThat(parse("", Map.of()).fleet().agentId()).isNotBlank();
    }

    @Test
    void twoAgentsOnOneHostGetDistinctDefaultIdsFromTheirAdminPortsOrDataDirectories() {
        String host = Hosts.name();
        assertThat(parse("admin: {bind: \"127.0.0.1:9101\"}", Map.of()).fleet().agentId()).isEqualTo(host + ":9101");
        assertThat(parse("admin: {bind: \"127.0.0.1:9102\"}", Map.of()).fleet().agentId()).isEqualTo(host + ":9102");
        String one = parse("admin: {bind: \"\"}\nhaproxy: {runtime-dir: /var/lib/hsdo/a}", Map.of()).fleet().agentId();
        String two = parse("admin: {bind: \"\"}\nhaproxy: {runtime-dir: /var/lib/hsdo/b}", Map.of()).fleet().agentId();
        assertThat(one).startsWith(host + ":").isNotEqualTo(two);
        assertThat(parse("admin: {bind: \"\"}\nhaproxy: {runtime-dir: /var/lib/hsdo/a}", Map.of()).fleet().agentId())
                .as("the same directory, the same id across restarts").isEqualTo(one);
        assertThat(parse("fleet: {agent-id: lb-1}", Map.of()).fleet().agentId()).isEqualTo("lb-1");
    }

    @Test
    void fleetErrorsNameTheKeyAndValue() {
        assertThat(errors("fleet: {zone: \"a b\", lease-ttl: 500ms}", Map.of())).containsExactly(
                "hsdo.yaml: fleet.zone: invalid value 'a b' (letters, digits, '-', '_', '.')",
                "hsdo.yaml: fleet.lease-ttl: must be at least 2s, got 500ms");
        assertThatThrownBy(() -> parse("", Map.of("HSDO_FLEET_AGENT_ID", "a;b")))
                .hasMessageContaining("HSDO_FLEET_AGENT_ID (fleet.agent-id): invalid value 'a;b'");
    }

    @Test
    void backendsTakeSlowStartZoneAndFallback() {
        HsdoConfig c = ConfigLoader.parse("""
                frontends: [{name: fe, bind: 127.0.0.1:8080, default-backend: app}]
                backends:
                  - {name: app, zone: local, fallback: app-all, slow-start: {enabled: true, interval: 10s}}
                  - {name: app-all, zone: all}
                sources: [{name: servers, path: servers.yaml}]
                """, Path.of("/etc/hsdo"), Map.of(), "hsdo.yaml");
        BackendConfig app = c.backend("app");
        assertThat(app.zone()).isEqualTo(ZoneAffinity.LOCAL);
        assertThat(app.fallback()).isEqualTo("app-all");
        assertThat(app.slowStart()).isEqualTo(new SlowStartConfig(true, 1, 10, 1, Duration.ofSeconds(10)));
        assertThat(c.backend("app-all").slowStart()).isEqualTo(SlowStartConfig.off());
        assertThat(c.backend("app-all").fallback()).isNull();
    }

    @Test
    void zoneFallbackAndSlowStartErrorsNameTheKeyAndValue() {
        List<String> errors = errors("", Map.of("HSDO_BACKENDS_0_ZONE", "near", "HSDO_BACKENDS_0_FALLBACK", "nope",
                "HSDO_BACKENDS_0_SLOW_START_MIN", "11"));
        assertThat(errors).containsExactly(
                "HSDO_BACKENDS_0_ZONE (backends[0].zone): unknown value 'near' (expected all, local or other)",
                "HSDO_BACKENDS_0_SLOW_START_MIN (backends[0].slow-start.min): must not exceed max (10), got 11",
                "HSDO_BACKENDS_0_FALLBACK (backends[0].fallback): unknown backend 'nope' (defined: app)");
    }

    @Test
    void slotBackendsDriveTheUsersOwnHaproxyWhichNeedsNoFrontends() {
        HsdoConfig c = ConfigLoader.parse("""
                backends: [{name: be, sources: [servers], slots: 10, slot-prefix: web}]
                sources: [{name: servers, path: servers.yaml}]
                fleet: {haproxy-socket: /run/haproxy/admin.sock}
                """, Path.of("/etc/hsdo"), Map.of(), "hsdo.yaml");
        assertThat(c.backend("be").slots()).isEqualTo(new SlotsConfig(10, "web"));
        assertThat(c.frontends()).isEmpty();
        assertThat(c.fleet().haproxySocket()).isEqualTo("/run/haproxy/admin.sock");
    }

    @Test
    void slotsWithoutAnExternalHaproxyAndBadSocketsAreErrors() {
        assertThat(errors("", Map.of("HSDO_BACKENDS_0_SLOTS", "4"))).containsExactly(
                "HSDO_BACKENDS_0_SLOTS (backends[0].slots): template slots live in your own haproxy.cfg: set fleet.haproxy-socket"
                        + " to that HAProxy's Runtime API");
        assertThat(errors("fleet: {haproxy-socket: \"admin sock\"}", Map.of())).containsExactly(
                "hsdo.yaml: fleet.haproxy-socket: invalid value 'admin sock' (a unix socket path, unix@/path,"
                        + " ipv4@HOST:PORT or HOST:PORT)");
    }
}
