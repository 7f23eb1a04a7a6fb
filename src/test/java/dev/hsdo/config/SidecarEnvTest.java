package dev.hsdo.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SidecarEnvTest {
    private static final String SRV = "_http._tcp.store.svc.test.";

    @TempDir
    Path dir;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("DISCOVERY_DNS_NAME", SRV, "HSDO_DATA_DIR", dir.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) env.remove(pairs[i]);
            else env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void theOriginalToolsDefaultsApplyWhenOnlyTheDnsNameIsSet() {
        SidecarEnv.Parsed p = SidecarEnv.parse(env());
        HsdoConfig c = p.config();
        HaproxySettings h = c.haproxy();
        assertThat(h.maxconn()).isEqualTo(500);
        assertThat(h.threads()).isEqualTo(1);
        assertThat(h.log()).isNull();
        assertThat(h.statsBind()).isNull();
        assertThat(h.healthBind()).isNull();
        assertThat(List.of(h.timeoutConnect(), h.timeoutClient(), h.timeoutServer()))
                .containsExactly(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(c.frontends().get(0).bind()).isEqualTo("0.0.0.0:8888");
        BackendConfig be = c.backends().get(0);
        assertThat(be.balance()).isEqualTo("uri");
        assertThat(be.hashType()).isEqualTo("consistent");
        assertThat(be.healthCheck().method()).isEqualTo("OPTIONS");
        assertThat(be.healthCheck().path()).isEqualTo("/");
        assertThat(be.healthCheck().timeout()).isEqualTo(Duration.ofMillis(100));
        DnsSourceConfig dns = (DnsSourceConfig) c.sources().get(0);
        assertThat(dns.srv()).isEqualTo(SRV);
        assertThat(dns.servers()).as("the system resolver").isEmpty();
        assertThat(dns.refresh()).isEqualTo(Duration.ofSeconds(5));
        assertThat(h.runtimeDir()).isEqualTo(dir.resolve("run"));
        assertThat(c.store().path()).isEqualTo(dir.resolve("state/plan.json"));
        assertThat(c.admin().bind()).isEqualTo("127.0.0.1:9090");
        assertThat(p.slots()).as("not set").isNull();
        assertThat(p.dataDir()).isEqualTo(dir);
    }

    @Test
    void everyVariableIsRead() {
        SidecarEnv.Parsed p = SidecarEnv.parse(env("HAPROXY_ENABLE_LOGS", "true", "HAPROXY_BALANCE", "roundrobin",
                "HAPROXY_HTTP_CHECK", "meth GET uri /health", "HAPROXY_BIND", "127.0.0.1:18888", "HAPROXY_THREADS", "2",
                "HAPROXY_SLOTS", "3", "HAPROXY_STATS_BIND", "127.0.0.1:18889", "HAPROXY_HEALTH_BIND", "127.0.0.1:18890",
                "HAPROXY_MAXCONN", "2000", "HAPROXY_TIMEOUT_CONNECT", "1.5s", "HAPROXY_TIMEOUT_CLIENT", "1m30s",
                "HAPROXY_TIMEOUT_SERVER", "250ms", "HAPROXY_TIMEOUT_CHECK", "1s", "DISCOVERY_METHOD", "dns",
                "DISCOVERY_DNS_REFRESH", "250ms", "DISCOVERY_DNS_SERVERS", "127.0.0.1:5353, [::1]:53", "HSDO_ADMIN_BIND", ""));
        HsdoConfig c = p.config();
        assertThat(c.haproxy().log()).isEqualTo("stdout format raw local0");
        assertThat(c.backends().get(0).balance()).isEqualTo("roundrobin");
        assertThat(c.backends().get(0).hashType()).isNull();
        assertThat(c.backends().get(0).healthCheck().method()).isEqualTo("GET");
        assertThat(c.backends().get(0).healthCheck().path()).isEqualTo("/health");
        assertThat(c.backends().get(0).healthCheck().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.frontends().get(0).bind()).isEqualTo("127.0.0.1:18888");
        assertThat(c.haproxy().threads()).isEqualTo(2);
        assertThat(c.haproxy().statsBind()).isEqualTo("127.0.0.1:18889");
        assertThat(c.haproxy().healthBind()).isEqualTo("127.0.0.1:18890");
        assertThat(c.haproxy().maxconn()).isEqualTo(2000);
        assertThat(c.haproxy().timeoutConnect()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.haproxy().timeoutClient()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.haproxy().timeoutServer()).isEqualTo(Duration.ofMillis(250));
        DnsSourceConfig dns = (DnsSourceConfig) c.sources().get(0);
        assertThat(dns.refresh()).isEqualTo(Duration.ofMillis(250));
        assertThat(dns.servers()).containsExactly(new DnsSourceConfig.Server("127.0.0.1", 5353), new DnsSourceConfig.Server("::1", 53));
        assertThat(c.admin().bind()).as("HSDO_ADMIN_BIND= disables the admin API").isNull();
        assertThat(p.slots()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "HAPROXY_ENABLE_LOGS     | yes                    | HAPROXY_ENABLE_LOGS: invalid value 'yes' (expected true or false)",
            "HAPROXY_BALANCE         | urii                   | HAPROXY_BALANCE: unknown value 'urii' (expected one of",
            "HAPROXY_BALANCE         | static-rr              | HAPROXY_BALANCE: 'static-rr' cannot be used",
            "HAPROXY_HTTP_CHECK      | hdr Host x             | HAPROXY_HTTP_CHECK: invalid value 'hdr Host x' (expected 'meth <METHOD>' and/or 'uri <path>'",
            "HAPROXY_HTTP_CHECK      | meth G;ET              | HAPROXY_HTTP_CHECK: invalid value 'G;ET' (an HTTP method",
            "HAPROXY_HTTP_CHECK      | meth GET uri health    | HAPROXY_HTTP_CHECK: invalid value 'health' (starts with '/'",
            "HAPROXY_BIND            | 8888                   | HAPROXY_BIND: invalid address '8888'",
            "HAPROXY_THREADS         | 0                      | HAPROXY_THREADS: invalid value '0' (expected an integer 1..64)",
            "HAPROXY_SLOTS           | ten                    | HAPROXY_SLOTS: invalid value 'ten' (expected a positive integer)",
            "HAPROXY_STATS_BIND      | 127.0.0.1:8888         | HAPROXY_BIND: port 8888 is also used by HAPROXY_STATS_BIND",
            "HAPROXY_HEALTH_BIND     | localhost              | HAPROXY_HEALTH_BIND: invalid address 'localhost'",
            "HAPROXY_MAXCONN         | lots                   | HAPROXY_MAXCONN: invalid value 'lots' (expected an integer",
            "HAPROXY_TIMEOUT_CONNECT | 5                      | HAPROXY_TIMEOUT_CONNECT: invalid duration '5' (expected e.g. 100ms, 5s, 1m30s)",
            "HAPROXY_TIMEOUT_CLIENT  | 0                      | HAPROXY_TIMEOUT_CLIENT: invalid duration '0' (must be greater than 0)",
            "HAPROXY_TIMEOUT_SERVER  | 5 s                    | HAPROXY_TIMEOUT_SERVER: invalid duration '5 s'",
            "HAPROXY_TIMEOUT_CHECK   | 100us                  | HAPROXY_TIMEOUT_CHECK: invalid duration '100us' (HAProxy counts in milliseconds: at least 1ms)",
            "DISCOVERY_METHOD        | consul                 | DISCOVERY_METHOD: invalid value 'consul' (only dns is supported)",
            "DISCOVERY_DNS_REFRESH   | often                  | DISCOVERY_DNS_REFRESH: invalid duration 'often'",
            "DISCOVERY_DNS_NAME      | NULL                   | DISCOVERY_DNS_NAME: is required",
            "DISCOVERY_DNS_NAME      | store.svc.test.        | DISCOVERY_DNS_NAME: invalid value 'store.svc.test.' (expected _service._proto.name.",
            "DISCOVERY_DNS_SERVERS   | 127.0.0.1,dns.example  | DISCOVERY_DNS_SERVERS: invalid value 'dns.example' (expected host:port with host an IP literal",
            "HSDO_ADMIN_BIND         | 0.0.0.0:9090           | HSDO_ADMIN_BIND (admin.bind): '0.0.0.0:9090' is not a loopback address",
            "HSDO_DRAIN_PERIODE      | 5s                     | HSDO_DRAIN_PERIODE: no configuration key is set by this variable (did you mean HSDO_DRAIN_PERIOD?)",
    })
    void aBadValueStopsStartUpWithAMessageNamingTheVariable(String variable, String value, String message) {
        assertThatThrownBy(() -> SidecarEnv.parse(env(variable, value)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).singleElement().asString().startsWith(message));
    }

    @Test
    void aDataDirTooLongForHaproxysSocketsIsRefused() {
        assertThatThrownBy(() -> SidecarEnv.parse(env("HSDO_DATA_DIR", "/tmp/" + "d".repeat(100))))
                .hasMessageStartingWith("HSDO_DATA_DIR: '/tmp/ddd").hasMessageContaining("is too long");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> SidecarEnv.parse(env("DISCOVERY_DNS_NAME", null, "HAPROXY_BIND", "x", "HAPROXY_MAXCONN", "-1")))
                .satisfies(e -> assertThat(((ConfigException) e).errors()).hasSize(3));
    }

    @Test
    void anEmptyValueMeansTheDefault() {
        assertThat(SidecarEnv.parse(env("HAPROXY_BALANCE", "", "HAPROXY_MAXCONN", " ")).config().haproxy().maxconn()).isEqualTo(500);
    }

    @Test
    void variablesOfTheOriginalThatHsdoDoesNotUseAreListed() {
        assertThat(SidecarEnv.parse(env("HAPROXY_CONF_PATH", "/etc/haproxy.cfg", "SENTRY_DSN", "x", "DISCOVERY_DNS_PORT", "53")).ignored())
                .containsExactly("DISCOVERY_DNS_PORT", "HAPROXY_CONF_PATH", "SENTRY_DSN");
    }

    @Test
    void goDurationsAreRead() {
        assertThat(SidecarEnv.goDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SidecarEnv.goDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(SidecarEnv.goDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(SidecarEnv.goDuration("0")).isZero();
        assertThatThrownBy(() -> SidecarEnv.goDuration("s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SidecarEnv.goDuration("5sx")).isInstanceOf(IllegalArgumentException.class);
    }
}
