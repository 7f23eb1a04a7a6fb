package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.testing.EtcdCluster;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hsdo.cli.TenantsYaml.byCookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A controller and three agents, each agent with its own HAProxy, over a real etcd; the tenant table lives
 * under an etcd prefix. A tenant moved through the controller's admin API reaches its new shard on every agent,
 * and the move is reported done once every agent runs the generation that carries it.
 */
class TenantsFleetIT {
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    private static final String TOKEN = "fleet-token";

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    @Test
    void aTenantMovedThroughTheControllerReachesItsNewShardOnEveryAgent() throws Exception {
        EtcdCluster etcd = running.add(EtcdCluster.start(dir.resolve("etcd"), 1));
        Origins origins = running.add(Origins.start(dir, "o1", "o2", "o3", "o4"));
        String endpoints = String.join(", ", etcd.endpoints());
        String tail = """
                store: {type: etcd, endpoints: [%s], prefix: /tenants-it, poll-interval: 1s}
                tenants:
                  shards: %s
                  default-shard: s1
                  source: {type: etcd, endpoints: [%s], prefix: /tenants-it-table/}
                """.formatted(endpoints, TenantsYaml.shards(), endpoints);

        int controllerAdmin = Ports.free();
        Path c = Files.createDirectories(dir.resolve("controller"));
        ControllerNode controller = running.add(ControllerNode.start(ConfigLoader.load(TenantsYaml.file(c, "hsdo.yaml",
                TenantsYaml.body(c, origins, Ports.free(), controllerAdmin, TOKEN) + tail
                        + "fleet: {controller-id: c1, lease-ttl: 3s}\n"), Map.of()), Clock.systemUTC()));
        Map<String, Integer> frontends = new LinkedHashMap<>();
        for (String id : List.of("a1", "a2", "a3")) {
            Path home = Files.createDirectories(dir.resolve(id));
            int fe = Ports.free();
            frontends.put(id, fe);
            running.add(AgentNode.start(ConfigLoader.load(TenantsYaml.file(home, "hsdo.yaml",
                    TenantsYaml.body(home, origins, fe, Ports.free(), TOKEN) + tail
                            + "fleet: {agent-id: " + id + ", status-ttl: 10s}\n"), Map.of()), Clock.systemUTC()));
        }

        assertThat(put(controllerAdmin, "acme", "s2").statusCode()).isEqualTo(200);
        assertThat(put(controllerAdmin, "globex", "s3").statusCode()).isEqualTo(200);
        for (int fe : frontends.values())
            await().atMost(CONVERGE).untilAsserted(() -> {
                assertThat(byCookie(fe, "acme")).isEqualTo("o2");
                assertThat(byCookie(fe, "globex")).isEqualTo("o3");
            });

        assertThat(put(controllerAdmin, "acme", "s4").statusCode()).isEqualTo(200);
        for (var e : frontends.entrySet())
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(byCookie(e.getValue(), "acme")).as(e.getKey()).isEqualTo("o4"));
        await().atMost(CONVERGE).untilAsserted(() -> {
            String status = Json.of(controller.status());
            assertThat(status).contains("\"tenant\":\"acme\",\"from\":\"s2\",\"to\":\"s4\"");
            assertThat(status).doesNotContain("\"done\":false").contains("\"done\":true");
            assertThat(status.split("\"tenantGeneration\"", -1)).hasSize(4);
        });
        assertThat(byCookie(frontends.get("a1"), "globex")).as("the other tenant stays").isEqualTo("o3");
    }

    private static HttpResponse<String> put(int admin, String tenant, String shard) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/api/v1/tenants/" + tenant))
                .header("Authorization", "Bearer " + TOKEN).PUT(HttpRequest.BodyPublishers.ofString(shard)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status document as compact JSON. */
    private static final class Json {
        static String of(Object doc) throws Exception {
            return dev.hsdo.store.PlanJson.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(doc);
        }
    }
}
