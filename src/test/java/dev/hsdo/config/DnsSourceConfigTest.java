package dev.hsdo.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsSourceConfigTest {
    private static final String FRAME = """
            frontends: [{name: fe, bind: "127.0.0.1:8080"}]
            backends: [{name: app, sources: [peers]}]
            sources:
              - %s
            """;

    private static HsdoConfig load(String source, Map<String, String> env) {
        return ConfigLoader.parse(FRAME.formatted(source), Path.of("/etc/hsdo"), env, "hsdo.yaml");
    }

    @Test
    void aDnsSourceHasDefaultsForAllButTheSrvName() {
        DnsSourceConfig d = (DnsSourceConfig) load("{name: peers, type: dns, srv: _HTTP._tcp.App.svc.test}", Map.of()).sources().get(0);
        assertThat(d).isEqualTo(new DnsSourceConfig("peers", "_http._tcp.app.svc.test.", List.of(), Duration.ofSeconds(5),
                Duration.ofSeconds(1), DnsSourceConfig.PriorityPolicy.BACKUP, DnsSourceConfig.WeightPolicy.EQUAL));
    }

    @Test
    void everyKeyCanBeSetInTheFileOrTheEnvironment() {
        DnsSourceConfig d = (DnsSourceConfig) load("{name: peers, type: dns, srv: _x._udp.a.test., servers: ['127.0.0.1:5353', '[::1]'],"
                + " refresh: 250ms, timeout: 300ms, priority-policy: all}", Map.of("HSDO_SOURCES_0_WEIGHT_POLICY", "srv")).sources().get(0);
        assertThat(d.servers()).containsExactly(new DnsSourceConfig.Server("127.0.0.1", 5353), new DnsSourceConfig.Server("::1", 53));
        assertThat(d.refresh()).isEqualTo(Duration.ofMillis(250));
        assertThat(d.timeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(d.priorityPolicy()).isEqualTo(DnsSourceConfig.PriorityPolicy.ALL);
        assertThat(d.weightPolicy()).isEqualTo(DnsSourceConfig.WeightPolicy.SRV);
    }

    @Test
    void badValuesAreReportedWithTheirKeyPath() {
        assertThatThrownBy(() -> load("{name: peers, type: dns, srv: 'app.svc.test', servers: ['dns.example:53', '127.0.0.1:99999'],"
                + " refresh: 0, priority-policy: highest, path: x}", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hsdo.yaml: sources[0].srv: invalid value 'app.svc.test' (expected _service._proto.name.")
                .hasMessageContaining("sources[0].servers[0]: invalid value 'dns.example:53'")
                .hasMessageContaining("sources[0].servers[1]: invalid value '127.0.0.1:99999' (port must be 1..65535)")
                .hasMessageContaining("sources[0].refresh: invalid duration '0' (must be greater than 0)")
                .hasMessageContaining("sources[0].priority-policy: unknown value 'highest' (expected one of backup, lowest, all)")
                .hasMessageContaining("sources[0]: unknown key 'path'");
    }

    @Test
    void theSrvNameIsRequired() {
        assertThatThrownBy(() -> load("{name: peers, type: dns}", Map.of()))
                .hasMessageContaining("sources[0].srv: is required");
    }

    @Test
    void anUnknownTypeListsTheSupportedOnes() {
        assertThatThrownBy(() -> load("{name: peers, type: nomad}", Map.of()))
                .hasMessageContaining("unknown source type 'nomad' (supported: file, dns, consul, aws-asg, aws-ec2-tags, etcd-registry)");
    }
}
