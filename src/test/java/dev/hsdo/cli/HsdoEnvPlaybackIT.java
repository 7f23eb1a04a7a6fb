package dev.hsdo.cli;

import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.HsdoEnv;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.ServersStateParser;
import dev.hsdo.testing.AwsPlayback;
import dev.hsdo.testing.AwsPlayback.Ec2Instance;
import dev.hsdo.testing.AwsPlayback.GroupMember;
import dev.hsdo.testing.DynamoLocal;
import dev.hsdo.testing.HaproxyFixture;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import dev.hsdo.testing.Running;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An HSDO deployment switched to hsdo without changing its environment: a controller and an agent started
 * from HSDO's variables only (plus the two endpoints that point AWS and DynamoDB at the test's own), beside a
 * pair started from the equivalent {@code hsdo.yaml}, each pair over DynamoDB Local with Auto Scaling and EC2
 * played back, each agent filling the {@code server-template} of its own hand-written HAProxy. Both
 * HAProxies must have the same slots filled and route every URI to the same server.
 */
class HsdoEnvPlaybackIT {
    private static final String HAPROXY_CFG = HaproxyFixture.HTTP_DEFAULTS + """
            frontend fe
              bind 127.0.0.1:${port:fe}
              default_backend http-back
            backend http-back
              balance uri
              hash-type consistent
              server-template mywebapp 1-4 127.0.0.1:9 check inter 500ms disabled
            """;

    @TempDir
    Path dir;
    @RegisterExtension
    final Running running = new Running();

    /** Slot → address:port weight, or "maint", as HAProxy reports backend http-back. */
    private static Map<String, String> slots(HaproxyFixture lb) {
        Map<String, String> out = new TreeMap<>();
        for (ServerStateRow row : ServersStateParser.parse(lb.cli("show servers state http-back")))
            out.put(row.serverName(), row.isMaint() ? "maint" : row.address() + ":" + row.port() + " weight " + row.userWeight());
        return out;
    }

    private static Map<String, String> routing(HaproxyFixture lb) {
        Map<String, String> owner = new LinkedHashMap<>();
        for (int k = 0; k < 300; k++) owner.put("/obj/" + k, Http.get(lb.port("fe"), "/obj/" + k).trim());
        return owner;
    }

    private <T extends AutoCloseable> T run(T c) {
        running.add(c);
        return c;
    }

    @Test
    void hsdoVariablesRouteLikeTheEquivalentYaml() throws Exception {
        int port = Ports.free();
        Origins origins = run(Origins.onOnePort(dir, port, Map.of("i-1", "127.0.0.11", "i-2", "127.0.0.12",
                "i-3", "127.0.0.13", "i-4", "127.0.0.14")));
        DynamoLocal dynamo = run(DynamoLocal.start(dir.resolve("dynamo")));
        AwsPlayback aws = run(AwsPlayback.start());
        aws.group("app-a", GroupMember.serving("i-1", "us-east-1a"), GroupMember.serving("i-2", "us-east-1a"),
                GroupMember.serving("i-3", "us-east-1b"));
        for (int i = 1; i <= 4; i++) aws.instances(Ec2Instance.running("i-" + i, "127.0.0.1" + i, "us-east-1a", Map.of()));
        HaproxyFixture lbEnv = run(HaproxyFixture.start(Files.createDirectories(dir.resolve("lb-env")), HAPROXY_CFG));
        HaproxyFixture lbYaml = run(HaproxyFixture.start(Files.createDirectories(dir.resolve("lb-yaml")), HAPROXY_CFG));

        Map<String, String> env = new HashMap<>(Map.of("SERVER_MODE", "aws", "SERVER_ASG_NAMES", "app-a",
                "CLIENT_HAPROXY_SOCKET_PATH", lbEnv.adminSocket().toString(), "CLIENT_HAPROXY_BACKEND_NAME", "http-back",
                "CLIENT_HAPROXY_BACKEND_BASE_NAME", "mywebapp", "CLIENT_HAPROXY_BACKEND_SERVER_PORT", String.valueOf(port),
                "HAPROXY_BACKEND_SERVERS_LIST_SIZE", "4", "DYNAMODB_TABLE_NAME", "hsdo-env", "AWS_DEFAULT_REGION", "us-east-1",
                "INTERVAL", "1"));
        // Only the endpoints are not HSDO's: the test's AWS and DynamoDB are not AWS's.
        env.put("HSDO_SOURCES_0_ENDPOINT", aws.endpoint().toString());
        env.put("HSDO_STORE_ENDPOINT", dynamo.endpoint());
        Map<String, String> controllerEnv = new HashMap<>(env);
        controllerEnv.put("EXPORTER_PORT", String.valueOf(Ports.free()));
        Map<String, String> agentEnv = new HashMap<>(env);
        agentEnv.put("EXPORTER_PORT", String.valueOf(Ports.free()));
        run(ControllerNode.start(HsdoEnv.parse(controllerEnv, HsdoEnv.Role.CONTROLLER, dir).config(), Clock.systemUTC()));
        AgentNode agentEnv1 = run(AgentNode.start(HsdoEnv.parse(agentEnv, HsdoEnv.Role.AGENT, dir).config(), Clock.systemUTC()));

        Path yaml = dir.resolve("hsdo.yaml");
        Files.writeString(yaml, """
                sources: [{name: asg, type: aws-asg, groups: [app-a], port: %d, region: us-east-1, endpoint: "%s", interval: 1s}]
                backends:
                  - name: http-back
                    sources: [asg]
                    slots: 4
                    slot-prefix: mywebapp
                    server-defaults: {weight: 10}
                    slow-start: {enabled: true, min: 1, max: 10, increase: 1, interval: 30s}
                reconcile-interval: 1s
                drain-period: 0s
                admin: {bind: ""}
                store: {type: dynamodb, table: hsdo-yaml, region: us-east-1, endpoint: "%s", poll-interval: 1s}
                fleet: {haproxy-socket: "%s"}
                """.formatted(port, aws.endpoint(), dynamo.endpoint(), lbYaml.adminSocket()));
        HsdoConfig fromYaml = ConfigLoader.load(yaml, Map.of());
        run(ControllerNode.start(fromYaml, Clock.systemUTC()));
        AgentNode agentYaml = run(AgentNode.start(fromYaml, Clock.systemUTC()));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(slots(lbEnv)).containsOnlyKeys("mywebapp1", "mywebapp2", "mywebapp3", "mywebapp4")
                    .containsValues("127.0.0.11:" + port + " weight 10", "127.0.0.12:" + port + " weight 10",
                            "127.0.0.13:" + port + " weight 10").containsValue("maint");
            assertThat(slots(lbYaml)).isEqualTo(slots(lbEnv));
        });
        assertThat(agentEnv1.agent().status().converged()).isTrue();
        assertThat(agentYaml.agent().status().converged()).isTrue();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(routing(lbEnv).values()).contains("i-1", "i-2", "i-3").doesNotContain("i-4"));
        assertThat(routing(lbYaml)).as("the yaml pair routes every URI like the HSDO-variables pair").isEqualTo(routing(lbEnv));

        // i-2 leaves and i-4 arrives: both pairs move it the same way, i-4 ramping up from HSDO's min weight.
        aws.group("app-a", GroupMember.serving("i-1", "us-east-1a"), GroupMember.serving("i-3", "us-east-1b"),
                GroupMember.serving("i-4", "us-east-1b"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(slots(lbEnv)).containsValues("127.0.0.11:" + port + " weight 10", "127.0.0.13:" + port + " weight 10",
                    "127.0.0.14:" + port + " weight 1").doesNotContainValue("127.0.0.12:" + port + " weight 10");
            assertThat(slots(lbYaml)).isEqualTo(slots(lbEnv));
        });
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(routing(lbEnv).values()).contains("i-1", "i-3", "i-4").doesNotContain("i-2"));
        assertThat(routing(lbYaml)).isEqualTo(routing(lbEnv));
    }
}
