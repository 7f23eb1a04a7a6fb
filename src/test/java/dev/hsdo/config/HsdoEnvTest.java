package dev.hsdo.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HsdoEnvTest {
    private static final Path CWD = Path.of("/srv/hsdo");

    /** A minimal HSDO deployment's environment (aws mode), with {@code pairs} set or (value null) removed. */
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("SERVER_MODE", "aws", "SERVER_ASG_NAMES", "app-a,app-b",
                "CLIENT_HAPROXY_BACKEND_NAME", "http-back", "CLIENT_HAPROXY_BACKEND_BASE_NAME", "mywebapp",
                "DYNAMODB_TABLE_NAME", "hsdo-table"));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) env.remove(pairs[i]);
            else env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static HsdoEnv.Parsed controller(String... pairs) {
        return HsdoEnv.parse(env(pairs), HsdoEnv.Role.CONTROLLER, CWD);
    }

    private static List<String> errors(HsdoEnv.Role role, Map<String, String> env) {
        try {
            HsdoEnv.parse(env, role, CWD);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("no error for " + env);
    }

    private static List<String> errors(String... pairs) {
        return errors(HsdoEnv.Role.CONTROLLER, env(pairs));
    }

    @Test
    void hsdosDefaultsApplyWhenOnlyTheRequiredVariablesAreSet() {
        HsdoEnv.Parsed p = controller();
        HsdoConfig c = p.config();
        AwsAsgSourceConfig asg = (AwsAsgSourceConfig) c.sources().get(0);
        assertThat(asg.groups()).containsExactly("app-a", "app-b");
        assertThat(asg.port()).isEqualTo(80);
        assertThat(asg.region()).isEqualTo("eu-west-1");
        assertThat(asg.interval()).as("INTERVAL=1").isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backends()).hasSize(1);
        BackendConfig be = c.backends().get(0);
        assertThat(be.name()).isEqualTo("http-back");
        assertThat(be.sources()).containsExactly(asg.name());
        assertThat(be.slots()).isEqualTo(new SlotsConfig(10, "mywebapp"));
        assertThat(be.zone()).isEqualTo(ZoneAffinity.ALL);
        assertThat(be.fallback()).isNull();
        assertThat(be.slowStart()).isEqualTo(new SlowStartConfig(true, 1, 10, 1, Duration.ofSeconds(30)));
        assertThat(be.serverDefaults().weight()).as("HSDO's full weight is MAX_WEIGHT").isEqualTo(10);
        assertThat(c.fleet().haproxySocket()).isEqualTo("/var/run/haproxy/admin.sock");
        assertThat(c.store().type()).isEqualTo("dynamodb");
        assertThat(c.store().table()).isEqualTo("hsdo-table");
        assertThat(c.store().region()).isEqualTo("eu-west-1");
        assertThat(c.store().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.admin().bind()).as("EXPORTER_PORT, on loopback").isEqualTo("127.0.0.1:9000");
        assertThat(c.frontends()).as("the frontends are in the user's own haproxy.cfg").isEmpty();
        assertThat(p.debug()).isFalse();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void everyVariableReachesItsKey() {
        HsdoEnv.Parsed p = controller("SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT", "2", "SERVER_HAPROXY_BACKEND_SERVER_MAX_WEIGHT", "20",
                "SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT", "3", "SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT_INTERVAL", "1.5",
                "CLIENT_HAPROXY_SOCKET_PATH", "/run/haproxy.sock", "CLIENT_HAPROXY_BACKEND_SERVER_PORT", "8080",
                "INTERVAL", "2", "HAPROXY_BACKEND_SERVERS_LIST_SIZE", "50", "DEBUG", "true", "AWS_DEFAULT_REGION", "us-east-1",
                "EXPORTER_PORT", "6789");
        HsdoConfig c = p.config();
        BackendConfig be = c.backends().get(0);
        assertThat(be.slowStart()).isEqualTo(new SlowStartConfig(true, 2, 20, 3, Duration.ofMillis(1500)));
        assertThat(be.serverDefaults().weight()).isEqualTo(20);
        assertThat(be.slots()).isEqualTo(new SlotsConfig(50, "mywebapp"));
        assertThat(c.fleet().haproxySocket()).isEqualTo("/run/haproxy.sock");
        AwsAsgSourceConfig asg = (AwsAsgSourceConfig) c.sources().get(0);
        assertThat(asg.port()).isEqualTo(8080);
        assertThat(asg.region()).isEqualTo("us-east-1");
        assertThat(asg.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.store().region()).isEqualTo("us-east-1");
        assertThat(c.store().pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.admin().bind()).isEqualTo("127.0.0.1:6789");
        assertThat(p.debug()).isTrue();
    }

    @Test
    void consulModeReadsEveryInstanceOfTheServicesLikeHsdosCatalogQuery() {
        HsdoConfig c = controller("SERVER_MODE", "consul", "SERVER_ASG_NAMES", null,
                "SERVER_CONSUL_API_URL", "http://consul.internal:8500", "SERVER_CONSUL_SERVICE_NAME", "web, api").config();
        ConsulSourceConfig consul = (ConsulSourceConfig) c.sources().get(0);
        assertThat(consul.address()).isEqualTo(URI.create("http://consul.internal:8500"));
        assertThat(consul.services()).containsExactly("web", "api");
        assertThat(consul.health()).isEqualTo(ConsulSourceConfig.HealthPolicy.ANY);
    }

    @Test
    void aSubSecondIntervalPollsAwsOnceASecondButReconcilesAtIt() {
        HsdoConfig c = controller("INTERVAL", "0.25").config();
        assertThat(((AwsAsgSourceConfig) c.sources().get(0)).interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.reconcileInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void dedicatedAsgKeepsTheAgentsZoneInTheMainBackendAndTheOthersInTheFallback() {
        Map<String, String> env = env("CLIENT_DEDICATED_ASG", "true", "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME", "http-fallback",
                "CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME", "fallback", "HSDO_FLEET_ZONE", "eu-west-1a");
        HsdoConfig c = HsdoEnv.parse(env, HsdoEnv.Role.AGENT, CWD).config();
        assertThat(c.fleet().zone()).isEqualTo("eu-west-1a");
        BackendConfig main = c.backend("http-back");
        BackendConfig fallback = c.backend("http-fallback");
        assertThat(main.zone()).isEqualTo(ZoneAffinity.LOCAL);
        assertThat(main.fallback()).isEqualTo("http-fallback");
        assertThat(fallback.zone()).isEqualTo(ZoneAffinity.OTHER);
        assertThat(fallback.slots()).isEqualTo(new SlotsConfig(10, "fallback"));
        assertThat(fallback.slowStart()).isEqualTo(main.slowStart());
    }

    @Test
    void allServersInFallbackPutsEveryServerInTheFallbackToo() {
        String[] fallback = {"CLIENT_HAPROXY_FALLBACK_BACKEND_NAME", "http-fallback", "CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME", "fb",
                "CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND", "true"};
        HsdoConfig alone = controller(fallback).config();
        assertThat(alone.backend("http-back").zone()).isEqualTo(ZoneAffinity.ALL);
        assertThat(alone.backend("http-fallback").zone()).isEqualTo(ZoneAffinity.ALL);
        HsdoConfig dedicated = controller(concat(fallback, "CLIENT_DEDICATED_ASG", "true")).config();
        assertThat(dedicated.backend("http-back").zone()).isEqualTo(ZoneAffinity.LOCAL);
        assertThat(dedicated.backend("http-fallback").zone()).isEqualTo(ZoneAffinity.ALL);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theAgentNeedsNoServerVariables() {
        Map<String, String> env = env("SERVER_MODE", null, "SERVER_ASG_NAMES", null);
        HsdoConfig c = HsdoEnv.parse(env, HsdoEnv.Role.AGENT, CWD).config();
        assertThat(c.backend("http-back").slots()).isEqualTo(new SlotsConfig(10, "mywebapp"));
        assertThat(errors(HsdoEnv.Role.CONTROLLER, env)).containsExactly("SERVER_MODE: is required (expected aws or consul)");
    }

    @Test
    void hsdoOverridesStillApply() {
        HsdoConfig c = controller("HSDO_STORE_ENDPOINT", "http://127.0.0.1:8000", "HSDO_ADMIN_BIND", "").config();
        assertThat(c.store().endpoint()).isEqualTo("http://127.0.0.1:8000");
        assertThat(c.admin().bind()).as("disabled").isNull();
    }

    @Test
    void anEmptyValueMeansTheDefaultAsInHsdo() {
        assertThat(controller("CLIENT_HAPROXY_BACKEND_SERVER_PORT", "").config().sources().get(0))
                .extracting(s -> ((AwsAsgSourceConfig) s).port()).isEqualTo(80);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SERVER_MODE|k8s|SERVER_MODE: invalid value 'k8s' (expected aws or consul)",
            "SERVER_ASG_NAMES|''|SERVER_ASG_NAMES: is required (Auto Scaling group names)",
            "SERVER_ASG_NAMES|'app a'|SERVER_ASG_NAMES",
            "SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT|0|SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT",
            "SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT|11|SERVER_HAPROXY_BACKEND_SERVER_MIN_WEIGHT",
            "SERVER_HAPROXY_BACKEND_SERVER_MAX_WEIGHT|300|SERVER_HAPROXY_BACKEND_SERVER_MAX_WEIGHT",
            "SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT|x|SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT",
            "SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT_INTERVAL|-1|SERVER_HAPROXY_BACKEND_SERVER_INCREASE_WEIGHT_INTERVAL: invalid value '-1'",
            "CLIENT_HAPROXY_SOCKET_PATH|'a b'|CLIENT_HAPROXY_SOCKET_PATH: invalid value 'a b'",
            "CLIENT_HAPROXY_BACKEND_NAME|'http back'|CLIENT_HAPROXY_BACKEND_NAME: invalid value 'http back'",
            "CLIENT_HAPROXY_BACKEND_BASE_NAME|'my app'|CLIENT_HAPROXY_BACKEND_BASE_NAME: invalid value 'my app'",
            "CLIENT_HAPROXY_BACKEND_SERVER_PORT|70000|CLIENT_HAPROXY_BACKEND_SERVER_PORT",
            "CLIENT_DEDICATED_ASG|yes|CLIENT_DEDICATED_ASG: invalid value 'yes' (expected true or false)",
            "CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND|1|CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND: invalid value '1'",
            "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME|fb|CLIENT_HAPROXY_FALLBACK_BACKEND_NAME: set to 'fb' but not used",
            "INTERVAL|0|INTERVAL: invalid value '0'",
            "INTERVAL|1s|INTERVAL: invalid value '1s'",
            "INTERVAL|0.0001|INTERVAL: invalid value '0.0001'",
            "HAPROXY_BACKEND_SERVERS_LIST_SIZE|0|HAPROXY_BACKEND_SERVERS_LIST_SIZE: invalid value '0'",
            "HAPROXY_BACKEND_SERVERS_LIST_SIZE|ten|HAPROXY_BACKEND_SERVERS_LIST_SIZE",
            "DEBUG|on|DEBUG: invalid value 'on' (expected true or false)",
            "DYNAMODB_TABLE_NAME|''|DYNAMODB_TABLE_NAME: is required",
            "AWS_DEFAULT_REGION|'eu west'|AWS_DEFAULT_REGION",
            "EXPORTER_PORT|99999|EXPORTER_PORT",
    })
    void aBadValueIsReportedUnderItsVariable(String variable, String value, String expected) {
        List<String> errors = errors(variable, value);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith(expected).doesNotContain("hsdo-env").doesNotContain("backends[");
    }

    @ParameterizedTest
    @CsvSource({"eighty", "0", "70000"})
    void theServerPortIsCheckedInConsulModeToo(String port) {
        assertThat(errors("SERVER_MODE", "consul", "SERVER_CONSUL_SERVICE_NAME", "web", "SERVER_CONSUL_API_URL",
                "http://127.0.0.1:8500", "CLIENT_HAPROXY_BACKEND_SERVER_PORT", port)).containsExactly(
                "CLIENT_HAPROXY_BACKEND_SERVER_PORT: invalid value '" + port + "' (a TCP port, 1..65535)");
    }

    @Test
    void aServerPortSetInConsulModeIsReportedAsUnused() {
        HsdoEnv.Parsed p = controller("SERVER_MODE", "consul", "SERVER_CONSUL_SERVICE_NAME", "web",
                "SERVER_CONSUL_API_URL", "http://127.0.0.1:8500", "CLIENT_HAPROXY_BACKEND_SERVER_PORT", "8080");
        assertThat(p.warnings()).containsExactly("CLIENT_HAPROXY_BACKEND_SERVER_PORT is not used in consul mode: each"
                + " server's port is the one its Consul service instance registered");
        assertThat(controller("SERVER_MODE", "consul", "SERVER_CONSUL_SERVICE_NAME", "web",
                "SERVER_CONSUL_API_URL", "http://127.0.0.1:8500").warnings()).isEmpty();
    }

    @Test
    void consulVariablesAreRequiredInConsulMode() {
        assertThat(errors("SERVER_MODE", "consul")).containsExactly("SERVER_CONSUL_API_URL: is required",
                "SERVER_CONSUL_SERVICE_NAME: is required (the Consul service names to watch)");
        assertThat(errors("SERVER_MODE", "consul", "SERVER_CONSUL_SERVICE_NAME", "web", "SERVER_CONSUL_API_URL", "consul:8500"))
                .singleElement().asString().startsWith("SERVER_CONSUL_API_URL: invalid value 'consul:8500'");
    }

    @Test
    void theBackendVariablesAreRequired() {
        assertThat(errors("CLIENT_HAPROXY_BACKEND_NAME", null, "CLIENT_HAPROXY_BACKEND_BASE_NAME", null))
                .containsExactly("CLIENT_HAPROXY_BACKEND_NAME: is required", "CLIENT_HAPROXY_BACKEND_BASE_NAME: is required");
        assertThat(errors("CLIENT_DEDICATED_ASG", "true")).containsExactly("CLIENT_HAPROXY_FALLBACK_BACKEND_NAME: is required",
                "CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME: is required");
        assertThat(errors("CLIENT_ALL_SERVERS_IN_FALLBACK_BACKEND", "true", "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME", "http-back",
                "CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME", "x")).containsExactly(
                "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME: a backend cannot be its own fallback");
    }

    @Test
    void aDedicatedAgentWithoutItsZoneIsRefusedNamingTheVariables() {
        Map<String, String> env = env("CLIENT_DEDICATED_ASG", "true", "CLIENT_HAPROXY_FALLBACK_BACKEND_NAME", "fb",
                "CLIENT_HAPROXY_FALLBACK_BACKEND_BASE_NAME", "fb", "CLIENT_ASG_NAMES", "app-a");
        assertThat(errors(HsdoEnv.Role.AGENT, env)).singleElement().asString()
                .startsWith("CLIENT_DEDICATED_ASG: true needs this agent's availability zone in HSDO_FLEET_ZONE");
        assertThat(HsdoEnv.parse(env, HsdoEnv.Role.CONTROLLER, CWD).warnings()).as("the controller has no zone")
                .containsExactly("CLIENT_ASG_NAMES is not read: the main backend takes the servers of this agent's zone (HSDO_FLEET_ZONE)");
    }

    @Test
    void olderNamesAndUnusedVariablesAreNamedInWarnings() {
        HsdoEnv.Parsed p = HsdoEnv.parse(env("SERVER_MODE", null, "HAPROXY_SOCKET_PATH", "/x", "CLIENT_USE_MANAGED_WEIGHTS_BY_HSDO", "false"),
                HsdoEnv.Role.AGENT, CWD);
        assertThat(p.warnings()).containsExactly("HAPROXY_SOCKET_PATH is not read: its name is CLIENT_HAPROXY_SOCKET_PATH",
                "CLIENT_USE_MANAGED_WEIGHTS_BY_HSDO is not read: hsdo always sets the weights it plans",
                "SERVER_ASG_NAMES is not read by hsdo agent (the controller reads the sources)");
    }

    @Test
    void anHsdoEnvironmentIsRecognisedByItsServerModeOrClientBackend() {
        assertThat(HsdoEnv.present(Map.of("SERVER_MODE", "aws"))).isTrue();
        assertThat(HsdoEnv.present(Map.of("CLIENT_HAPROXY_SOCKET_PATH", "/run/haproxy.sock"))).isTrue();
        assertThat(HsdoEnv.present(Map.of("CLIENT_HAPROXY_BACKEND_NAME", "be"))).isTrue();
        assertThat(HsdoEnv.present(Map.of("DYNAMODB_TABLE_NAME", "t", "SERVER_MODE", " "))).isFalse();
    }
}
