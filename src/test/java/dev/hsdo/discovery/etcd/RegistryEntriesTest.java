package dev.hsdo.discovery.etcd;

import dev.hsdo.discovery.Parsed;
import dev.hsdo.model.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryEntriesTest {
    @Test
    void eachKeyHoldsOneEndpointAsJson() {
        Parsed p = RegistryEntries.parse(new TreeMap<>(Map.of(
                "/svc/web/a", "{\"address\": \"10.0.0.1\", \"port\": 8080, \"name\": \"web-a\", \"meta\": {\"pow\": \"true\"}}",
                "/svc/web/b", "{\"address\": \"10.0.0.2\", \"port\": 8080, \"weight\": 50, \"zone\": \"eu-1a\"}")));
        assertThat(p.rejected()).isEmpty();
        assertThat(p.endpoints()).containsExactly(
                new Endpoint("web-a", "10.0.0.1", 8080, null, null, Map.of("pow", "true")),
                new Endpoint(null, "10.0.0.2", 8080, 50, "eu-1a", Map.of()));
    }

    @Test
    void badEntriesAreRejectedWithTheirKeyAndTheOthersKept() {
        Parsed p = RegistryEntries.parse(new TreeMap<>(Map.of(
                "/svc/web/1", "10.0.0.1:8080",
                "/svc/web/2", "{\"address\": \"10.0.0.2\"",
                "/svc/web/3", "{\"address\": \"10.0.0.3\", \"port\": 80, \"name\": \"x;shutdown sessions\"}",
                "/svc/web/4", "{\"address\": \"10.0.0.4\", \"port\": 80, \"meta\": {\"hsdo.maxconn\": \"many\"}}",
                "/svc/web/5", "{\"address\": \"10.0.0.4\", \"port\": 80}")));
        assertThat(p.endpoints()).containsExactly(new Endpoint(null, "10.0.0.4", 80, null, null, Map.of()));
        assertThat(p.rejected()).hasSize(5);
        assertThat(p.rejected().get(0)).isEqualTo("key '/svc/web/1': value is not a JSON object");
        assertThat(p.rejected().get(1)).startsWith("key '/svc/web/2': ");
        assertThat(p.rejected().get(2)).isEqualTo(
                "key '/svc/web/3': name: invalid value 'x;shutdown sessions' (letters, digits, '-', '_', '.', ':', at most 64)");
        assertThat(p.rejected().get(3)).isEqualTo("key '/svc/web/4': hsdo.maxconn: invalid value 'many' (an integer 0..10000000) skipped");
        assertThat(p.rejected().get(4)).isEqualTo("key '/svc/web/5': duplicate endpoint '10.0.0.4:80' (also key '/svc/web/4')");
    }
}
