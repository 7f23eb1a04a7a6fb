package dev.hsdo.discovery.consul;

import dev.hsdo.config.ConsulSourceConfig.HealthPolicy;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import dev.hsdo.testing.ConsulPlayback;
import dev.hsdo.testing.ConsulPlayback.Instance;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsulHealthTest {
    /** The example answer of Consul's documentation for /v1/health/service/redis, cut to one entry. */
    private static final String DOCUMENTED = """
            [
              {
                "Node": {
                  "ID": "40e4a748-2192-161a-0510-9bf59fe950b5",
                  "Node": "foobar",
                  "Address": "10.1.10.12",
                  "Datacenter": "dc1",
                  "TaggedAddresses": {"lan": "10.1.10.12", "wan": "10.1.10.12"},
                  "Meta": {"instance_type": "t2.medium"}
                },
                "Service": {
                  "ID": "redis",
                  "Service": "redis",
                  "Tags": ["primary"],
                  "Address": "10.1.10.12",
                  "TaggedAddresses": {
                    "lan": {"address": "10.1.10.12", "port": 8000},
                    "wan": {"address": "198.18.0.53", "port": 80}
                  },
                  "Meta": {"redis_version": "4.0"},
                  "Port": 8000,
                  "Weights": {"Passing": 10, "Warning": 1},
                  "Namespace": "default"
                },
                "Checks": [
                  {
                    "Node": "foobar",
                    "CheckID": "service:redis",
                    "Name": "Service 'redis' check",
                    "Status": "passing",
                    "Notes": "",
                    "Output": "",
                    "ServiceID": "redis",
                    "ServiceName": "redis",
                    "ServiceTags": ["primary"],
                    "Namespace": "default"
                  },
                  {
                    "Node": "foobar",
                    "CheckID": "serfHealth",
                    "Name": "Serf Health Status",
                    "Status": "passing",
                    "Notes": "",
                    "Output": "",
                    "ServiceID": "",
                    "ServiceName": "",
                    "ServiceTags": [],
                    "Namespace": "default"
                  }
                ]
              }
            ]
            """;

    @Test
    void documentedAnswerGivesTheServiceAddressPortAndMeta() {
        Parsed p = ConsulHealth.parse(DOCUMENTED, "redis", HealthPolicy.PASSING);
        assertThat(p.rejected()).isEmpty();
        assertThat(p.endpoints()).containsExactly(new Endpoint(null, "10.1.10.12", 8000, null, null,
                Map.of("instance_type", "t2.medium", "primary", "", "redis_version", "4.0")));
        assertThat(p.endpoints().getFirst().identity()).isEqualTo("10.1.10.12:8000");
    }

    @Test
    void passingPolicyKeepsOnlyInstancesWhoseChecksAllPass() {
        String json = ConsulPlayback.json(Instance.passing("n1", "10.0.0.1", 80),
                Instance.passing("n2", "10.0.0.2", 80).status("warning"),
                Instance.passing("n3", "10.0.0.3", 80).status("critical"),
                Instance.passing("n4", "10.0.0.4", 80).status("maintenance"));
        assertThat(addresses(ConsulHealth.parse(json, "web", HealthPolicy.PASSING))).containsExactly("10.0.0.1");
        assertThat(addresses(ConsulHealth.parse(json, "web", HealthPolicy.WARNING))).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(addresses(ConsulHealth.parse(json, "web", HealthPolicy.ANY)))
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    }

    @Test
    void aFailingNodeCheckFailsEveryServiceOnTheNode() {
        String json = DOCUMENTED.replaceFirst("\"Status\": \"passing\",\n(\\s+\"Notes\": \"\",\n\\s+\"Output\": \"\",\n\\s+\"ServiceID\": \"\",)",
                "\"Status\": \"critical\",\n$1");
        assertThat(json).contains("\"critical\"");
        assertThat(ConsulHealth.parse(json, "redis", HealthPolicy.PASSING).endpoints()).isEmpty();
    }

    @Test
    void serviceWithoutAddressUsesTheNodeAddress() {
        Parsed p = ConsulHealth.parse(ConsulPlayback.json(Instance.passing("n1", "10.0.0.9", 8080)), "web", HealthPolicy.PASSING);
        assertThat(p.endpoints()).extracting(Endpoint::identity).containsExactly("10.0.0.9:8080");
    }

    @Test
    void serviceMetaOverridesTagsWhichOverrideNodeMeta() {
        Instance i = Instance.passing("n1", "10.0.0.1", 80).nodeMeta(Map.of("a", "node", "b", "node", "c", "node"))
                .tags("b=tag", "c=tag", "pow").serviceMeta(Map.of("c", "service"));
        Endpoint e = ConsulHealth.parse(ConsulPlayback.json(i), "web", HealthPolicy.PASSING).endpoints().getFirst();
        assertThat(e.meta()).isEqualTo(Map.of("a", "node", "b", "tag", "c", "service", "pow", ""));
    }

    @Test
    void anUnsafeTagIsSkippedAndReportedWhileItsInstanceStillServes() {
        Instance i = Instance.passing("n1", "10.0.0.1", 80).tags("hsdo.maxconn=5;shutdown sessions", "rack=r1", "bad key=x");
        Parsed p = ConsulHealth.parse(ConsulPlayback.json(i), "web", HealthPolicy.PASSING);
        assertThat(p.endpoints()).singleElement().satisfies(e -> assertThat(e.meta()).isEqualTo(Map.of("rack", "r1")));
        assertThat(p.rejected()).containsExactly(
                "service 'web' node 'n1': meta[hsdo.maxconn]: invalid value '5;shutdown sessions' skipped (printable, no space, ';', '#', quotes)",
                "service 'web' node 'n1': meta key 'bad key' skipped (letters, digits, '-', '_', '.', '/')");
    }

    @Test
    void anInvalidOptionCostsThatOptionOnlyAndIsReported() {
        Instance i = Instance.passing("n1", "10.0.0.1", 80).tags("hsdo.maxconn=lots", "hsdo.weight=20", "hsdo.tls=true")
                .serviceMeta(Map.of("hsdo.ssl", "yes", "hsdo.backup", "true"));
        Parsed p = ConsulHealth.parse(ConsulPlayback.json(i), "web", HealthPolicy.PASSING);
        assertThat(p.endpoints()).singleElement()
                .satisfies(e -> assertThat(e.meta()).isEqualTo(Map.of("hsdo.weight", "20", "hsdo.backup", "true")));
        assertThat(p.rejected()).containsExactlyInAnyOrder(
                "service 'web' node 'n1': hsdo.maxconn: invalid value 'lots' (an integer 0..10000000) skipped",
                "service 'web' node 'n1': unknown option 'hsdo.tls' (known: hsdo.weight, hsdo.maxconn, hsdo.ssl, hsdo.ssl-verify, hsdo.backup, hsdo.priority) skipped",
                "service 'web' node 'n1': hsdo.ssl: invalid value 'yes' (true or false) skipped");
    }

    @Test
    void anInstanceWithAHostNameOrBadPortIsRejectedAndTheOthersKept() {
        Instance byName = new Instance("n2", "node2.example", "", 80, "passing", List.of(), Map.of(), Map.of());
        String json = ConsulPlayback.json(Instance.passing("n1", "10.0.0.1", 80), byName, Instance.passing("n3", "10.0.0.3", 0));
        Parsed p = ConsulHealth.parse(json, "web", HealthPolicy.PASSING);
        assertThat(addresses(p)).containsExactly("10.0.0.1");
        assertThat(p.rejected()).containsExactly(
                "service 'web' node 'n2': address: invalid value 'node2.example' (an IPv4 or IPv6 literal)",
                "service 'web' node 'n3': port: invalid value 0 (1..65535)");
    }

    @Test
    void anInstanceListedTwiceIsOneEndpoint() {
        String json = ConsulPlayback.json(Instance.passing("n1", "10.0.0.1", 80), Instance.passing("n1b", "10.0.0.1", 80));
        assertThat(ConsulHealth.parse(json, "web", HealthPolicy.PASSING).endpoints()).hasSize(1);
    }

    @Test
    void anAnswerThatIsNotAJsonListIsAnErrorForTheWholeRead() {
        assertThatThrownBy(() -> ConsulHealth.parse("[{\"Node\": ", "web", HealthPolicy.PASSING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("service 'web': answer is not JSON: ");
        assertThatThrownBy(() -> ConsulHealth.parse("{\"error\": 1}", "web", HealthPolicy.PASSING))
                .hasMessage("service 'web': expected a JSON list of instances, got object");
        assertThatThrownBy(() -> ConsulHealth.parse("", "web", HealthPolicy.PASSING))
                .hasMessage("service 'web': expected a JSON list of instances, got nothing");
    }

    @Test
    void anEmptyListMeansNoInstances() {
        assertThat(ConsulHealth.parse("[]", "web", HealthPolicy.PASSING).endpoints()).isEmpty();
    }

    private static List<String> addresses(Parsed p) {
        return p.endpoints().stream().map(Endpoint::address).toList();
    }
}
