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
        assertThat(f).isEqualTo(new FleetConfig("lb-1", "eu-west-1a", "ctl-1", Duration.ofSeconds(5), Duration.ofSeconds(9)));
        assertThat(parse("", Map.of("HSDO_FLEET_ZONE", "b")).fleet().zone()).isEqualTo("b");
        assertThat(parse("", Map.of()).fleet().agentId()).isNotBlank();
    }

    @Test
    void fleetErrorsNameTheKeyAndValue() {
        assertThat(errors("fleet: {zone: \"a b\", lease-ttl: 500ms}", Map.of())).containsExactly(
                "hsdo.yaml: fleet.zone: invalid value 'a b' (letters, digits, '-', '_', '.')",
                "hsdo.yaml: fleet.lease-ttl: must be at least 2s, got 500ms");
        assertThatThrownBy(() -> parse("", Map.of("HSDO_FLEET_AGENT_ID", "a;b")))
                .hasMessageContaining("HSDO_FLEET_AGENT_ID (fleet.agent-id): invalid value 'a;b'");
    }
}
