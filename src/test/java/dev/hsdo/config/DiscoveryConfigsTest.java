package dev.hsdo.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source types that talk to a discovery service, as {@code hsdo.yaml} declares them. */
class DiscoveryConfigsTest {
    private static final Path BASE = Path.of("/etc/hsdo");

    private static String withSource(String source) {
        return """
                frontends:
                  - {name: fe, bind: 127.0.0.1:8080}
                backends:
                  - {name: app}
                sources:
                  - %s
                """.formatted(source);
    }

    private static SourceConfig source(String source, Map<String, String> env) {
        return ConfigLoader.parse(withSource(source), BASE, env, "hsdo.yaml").sources().getFirst();
    }

    private static List<String> errors(String source) {
        try {
            ConfigLoader.parse(withSource(source), BASE, Map.of(), "hsdo.yaml");
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void consulSourceIsReadWithEveryKey() {
        SourceConfig s = source("""
                name: nodes
                    type: consul
                    address: https://consul.internal:8501/
                    services: [iri, iri-pow]
                    health: warning
                    datacenter: eu-west-1
                    token: abc-123
                    ca-file: certs/ca.pem
                    wait: 30s""", Map.of());
        assertThat(s).isEqualTo(new ConsulSourceConfig("nodes", URI.create("https://consul.internal:8501"),
                List.of("iri", "iri-pow"), ConsulSourceConfig.HealthPolicy.WARNING, "eu-west-1", "abc-123",
                Path.of("/etc/hsdo/certs/ca.pem"), Duration.ofSeconds(30)));
        assertThat(s.toString()).doesNotContain("abc-123");
    }

    @Test
    void consulDefaultsToTheLocalAgentPassingOnlyAndFiveMinuteWaits() {
        SourceConfig s = source("{name: nodes, type: consul, services: [web]}", Map.of());
        assertThat(s).isEqualTo(new ConsulSourceConfig("nodes", URI.create("http://127.0.0.1:8500"), List.of("web"),
                ConsulSourceConfig.HealthPolicy.PASSING, null, null, null, Duration.ofMinutes(5)));
    }

    @Test
    void consulTokenComesFromTheEnvironment() {
        ConsulSourceConfig s = (ConsulSourceConfig) source("{name: nodes, type: consul, services: [web]}",
                Map.of("HSDO_SOURCES_0_TOKEN", "from-env"));
        assertThat(s.token()).isEqualTo("from-env");
    }

    @Test
    void consulMistakesAreNamedWithTheirKey() {
        assertThat(errors("{name: nodes, type: consul}"))
                .containsExactly("hsdo.yaml: sources[0].services: is required (the Consul service names to watch)");
        assertThat(errors("{name: nodes, type: consul, services: [\"web/../x\"], address: \"ftp://x\", health: ok, "
                + "datacenter: \"a b\", ca-file: ca.pem, wait: 11m, token: \"a b\"}")).containsExactly(
                "hsdo.yaml: sources[0].address: invalid value 'ftp://x' (expected http://host:port or https://host:port)",
                "hsdo.yaml: sources[0].services[0]: invalid value 'web/../x' (letters, digits, '-', '_', '.', at most 128)",
                "hsdo.yaml: sources[0].health: unknown value 'ok' (expected passing, warning or any)",
                "hsdo.yaml: sources[0].datacenter: invalid value 'a b' (letters, digits, '-', '_', '.')",
                "hsdo.yaml: sources[0].token: invalid value (spaces and control characters are not allowed; value not shown)",
                "hsdo.yaml: sources[0].wait: invalid duration '11m' (at most 10m, Consul's limit)");
        assertThat(errors("{name: nodes, type: consul, services: [web], ca-file: ca.pem}"))
                .containsExactly("hsdo.yaml: sources[0].ca-file: only applies to an https address (address is 'http://127.0.0.1:8500')");
        assertThat(errors("{name: nodes, type: consul, services: [web], path: x}"))
                .containsExactly("hsdo.yaml: sources[0]: unknown key 'path' (allowed: name, type, address, services, health, datacenter, token, ca-file, wait)");
    }

    @Test
    void awsAsgSourceIsReadWithDefaults() {
        assertThat(source("{name: web, type: aws-asg, groups: [web-asg, api-asg], port: 8080}", Map.of()))
                .isEqualTo(new AwsAsgSourceConfig("web", null, null, List.of("web-asg", "api-asg"), 8080, Duration.ofSeconds(30)));
        assertThat(source("{name: web, type: aws-asg, groups: [web], port: 80, region: eu-west-1, "
                + "endpoint: \"https://autoscaling.eu-west-1.amazonaws.com\", interval: 10s}", Map.of()))
                .isEqualTo(new AwsAsgSourceConfig("web", "eu-west-1", URI.create("https://autoscaling.eu-west-1.amazonaws.com"),
                        List.of("web"), 80, Duration.ofSeconds(10)));
    }

    @Test
    void awsEc2TagsSourceDefaultsToTheDataPlaneApiTags() {
        assertThat(source("{name: web, type: aws-ec2-tags, service: web}", Map.of()))
                .isEqualTo(new AwsEc2TagsSourceConfig("web", null, null, "web", "HAProxy:Service:Name", "HAProxy:Service:Port",
                        null, Duration.ofSeconds(30)));
        assertThat(source("{name: web, type: aws-ec2-tags, service: web, service-tag: svc, port-tag: svc-port, port: 81}", Map.of()))
                .isEqualTo(new AwsEc2TagsSourceConfig("web", null, null, "web", "svc", "svc-port", 81, Duration.ofSeconds(30)));
    }

    @Test
    void awsMistakesAreNamedWithTheirKey() {
        assertThat(errors("{name: web, type: aws-asg}")).containsExactly(
                "hsdo.yaml: sources[0].groups: is required (Auto Scaling group names)",
                "hsdo.yaml: sources[0].port: is required (the port every instance serves on)");
        assertThat(errors("{name: web, type: aws-asg, groups: [\"a b\"], port: 0, region: Mars, interval: 100ms}")).containsExactly(
                "hsdo.yaml: sources[0].groups[0]: invalid value 'a b' (letters, digits and _ . : / @ + = -)",
                "hsdo.yaml: sources[0].port: invalid value '0' (expected an integer 1..65535)",
                "hsdo.yaml: sources[0].region: invalid value 'Mars' (e.g. us-east-1)",
                "hsdo.yaml: sources[0].interval: invalid duration '100ms' (at least 1s: AWS rate-limits its API)");
        assertThat(errors("{name: web, type: aws-ec2-tags, service-tag: \"x;y\"}")).containsExactly(
                "hsdo.yaml: sources[0].service: is required (the value of the service tag)",
                "hsdo.yaml: sources[0].service-tag: invalid value 'x;y' (letters, digits and _ . : / = + @ -)");
    }

    @Test
    void etcdRegistrySourceIsReadWithDefaults() {
        assertThat(source("{name: reg, type: etcd-registry, prefix: /hsdo/services/web/}", Map.of()))
                .isEqualTo(new EtcdRegistrySourceConfig("reg", List.of(URI.create("http://127.0.0.1:2379")), "/hsdo/services/web/",
                        Duration.ofSeconds(5)));
        assertThat(source("{name: reg, type: etcd-registry, prefix: /svc/, endpoints: [\"http://10.0.0.1:2379\", "
                + "\"https://10.0.0.2:2379\"], check-interval: 1s}", Map.of()))
                .isEqualTo(new EtcdRegistrySourceConfig("reg", List.of(URI.create("http://10.0.0.1:2379"), URI.create("https://10.0.0.2:2379")),
                        "/svc/", Duration.ofSeconds(1)));
    }

    @Test
    void etcdRegistryMistakesAreNamedWithTheirKey() {
        assertThat(errors("{name: reg, type: etcd-registry}"))
                .containsExactly("hsdo.yaml: sources[0].prefix: is required (the key prefix services register under)");
        assertThat(errors("{name: reg, type: etcd-registry, prefix: \"svc web\", endpoints: [\"127.0.0.1:2379\"]}")).containsExactly(
                "hsdo.yaml: sources[0].endpoints[0]: invalid value '127.0.0.1:2379' (expected http://host:port or https://host:port)",
                "hsdo.yaml: sources[0].prefix: invalid value 'svc web' (starts with '/'; letters, digits and _ . : / = + @ -)");
    }

    @Test
    void anUnknownTypeListsTheSupportedOnes() {
        assertThatThrownBy(() -> source("{name: x, type: zookeeper}", Map.of()))
                .hasMessageContaining("sources[0].type: unknown source type 'zookeeper' (supported: file, dns, consul, aws-asg, aws-ec2-tags, etcd-registry)");
    }
}
