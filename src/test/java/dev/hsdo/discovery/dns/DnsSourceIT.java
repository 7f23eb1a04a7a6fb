package dev.hsdo.discovery.dns;

import dev.hsdo.cli.Standalone;
import dev.hsdo.config.ConfigLoader;
import dev.hsdo.config.DnsSourceConfig;
import dev.hsdo.discovery.dns.dnsjava.DnsjavaSrvLookup;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.ServersStateParser;
import dev.hsdo.haproxy.SocketRuntimeApi;
import dev.hsdo.haproxy.StatCsvParser;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.model.SourceSnapshot;
import dev.hsdo.testing.Bind9;
import dev.hsdo.testing.Http;
import dev.hsdo.testing.Origins;
import dev.hsdo.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The DNS SRV source against a real BIND 9 changed by signed dynamic updates, and through hsdo to a real HAProxy. */
class DnsSourceIT {
    private static final String APP = "_http._tcp.app";
    private static final String PRIO = "_http._tcp.prio";
    private static final int MANY = 60;

    @TempDir
    static Path shared;
    static Bind9 bind;
    static Origins origins;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        origins = Origins.start(shared, "o1", "o2", "o3");
        List<String> zone = new ArrayList<>(List.of("n1 IN A 127.0.0.1", "n2 IN A 127.0.0.1", "n3 IN A 127.0.0.1"));
        zone.add(APP + " IN SRV 10 50 " + origins.port("o1") + " n1");
        zone.add(APP + " IN SRV 10 50 " + origins.port("o2") + " n2");
        zone.add(PRIO + " IN SRV 10 50 " + origins.port("o1") + " n1");
        zone.add(PRIO + " IN SRV 20 50 " + origins.port("o2") + " n2");
        for (int i = 0; i < MANY; i++) {
            zone.add("many-target-" + i + " IN A 127.0.0." + (i + 1));
            zone.add("_big._tcp.many IN SRV 10 50 " + (30000 + i) + " many-target-" + i);
        }
        bind = Bind9.start(shared.resolve("bind"), "svc.test", zone);
    }

    @AfterAll
    static void stop() {
        if (bind != null) bind.close();
        if (origins != null) origins.close();
    }

    private static DnsSourceConfig config(String srv, String... servers) {
        return new DnsSourceConfig("peers", srv, java.util.Arrays.stream(servers).map(DnsSourceConfig.Server::parse).toList(),
                Duration.ofMillis(250), Duration.ofMillis(500), DnsSourceConfig.PriorityPolicy.BACKUP, DnsSourceConfig.WeightPolicy.EQUAL);
    }

    private static Map<String, ServerStateRow> state(RuntimeApi api) throws Exception {
        return ServersStateParser.parse(api.call("show servers state app")).stream()
                .collect(Collectors.toMap(ServerStateRow::serverName, r -> r));
    }

    private static String server(String node, String origin) {
        return node + ".svc.test:" + origins.port(origin);
    }

    /** hsdo standalone on {@code srv}, its frontend on a free port, removed servers deleted at once. */
    private Standalone hsdo(String srv, int frontend) throws Exception {
        Files.writeString(dir.resolve("hsdo.yaml"), """
                haproxy: {runtime-dir: ./run, stop-with-hsdo: true}
                frontends: [{name: fe, bind: "127.0.0.1:%d"}]
                backends: [{name: app, sources: [peers], health-check: {inter: 500ms}}]
                sources: [{name: peers, type: dns, srv: %s.svc.test., servers: ["%s"], refresh: 250ms}]
                drain-period: 0s
                admin: {bind: ""}
                """.formatted(frontend, srv, bind.server()));
        return Standalone.start(ConfigLoader.load(dir.resolve("hsdo.yaml"), Map.of()), Clock.systemUTC());
    }

    private RuntimeApi api() throws Exception {
        return SocketRuntimeApi.connect(dir.resolve("run/admin.sock").toString(), Duration.ofSeconds(5));
    }

    private static Set<String> answers(int frontend) {
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 100; i++) answers.add(Http.get(frontend, "/k/" + i).trim());
        return answers;
    }

    @Test
    void recordsAddedAndRemovedByDynamicUpdateReachHaproxyAndATargetWithoutAddressIsReported() throws Exception {
        int frontend = Ports.free();
        try (Standalone hsdo = hsdo(APP, frontend); RuntimeApi api = api()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> state(api).keySet().equals(Set.of(server("n1", "o1"), server("n2", "o2"))));

            bind.addSrv(APP, 10, 50, origins.port("o3"), "n3");
            bind.addSrv(APP, 10, 50, 20999, "ghost");
            await().atMost(Duration.ofSeconds(10)).until(() -> state(api).containsKey(server("n3", "o3"))
                    && state(api).get(server("n3", "o3")).isReady());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hsdo.controller().snapshots().get("peers").rejected())
                    .containsExactly(APP + ".svc.test.: target 'ghost.svc.test.' port 20999: no A or AAAA record (skipped)"));
            assertThat(state(api)).hasSize(3);
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) hsdo.status().get("sources");
            assertThat(status.get("peers").toString()).contains("ghost.svc.test.");

            bind.deleteSrv(APP, 10, 50, origins.port("o1"), "n1");
            await().atMost(Duration.ofSeconds(10)).until(() -> !state(api).containsKey(server("n1", "o1")));
            await().atMost(Duration.ofSeconds(10)).until(() -> state(api).values().stream().allMatch(ServerStateRow::isUp));
            assertThat(answers(frontend)).containsExactlyInAnyOrder("o2", "o3");
            assertThat(Files.readString(dir.resolve("run/haproxy.cfg"))).contains("server " + server("n3", "o3") + " 127.0.0.1:" + origins.port("o3"))
                    .doesNotContain(server("n1", "o1"));
        } finally {
            bind.deleteSrv(APP, 10, 50, origins.port("o3"), "n3");
            bind.deleteSrv(APP, 10, 50, 20999, "ghost");
            bind.addSrv(APP, 10, 50, origins.port("o1"), "n1");
        }
    }

    /** Server name → whether {@code show stat} reports it as a backup. */
    private static Map<String, Boolean> backups(RuntimeApi api) throws Exception {
        return StatCsvParser.parse(api.call("show stat -1 4 -1")).stream().filter(r -> r.proxy().equals("app"))
                .collect(Collectors.toMap(StatRow::service, r -> "1".equals(r.field("bck"))));
    }

    @Test
    void aHigherPriorityTargetIsABackupUntilTheLowerOneLeaves() throws Exception {
        int frontend = Ports.free();
        String n1 = server("n1", "o1"), n2 = server("n2", "o2");
        try (Standalone hsdo = hsdo(PRIO, frontend); RuntimeApi api = api()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> backups(api).equals(Map.of(n1, false, n2, true)));
            int n2Id = state(api).get(n2).serverId();
            assertThat(answers(frontend)).containsExactly("o1");

            bind.deleteSrv(PRIO, 10, 50, origins.port("o1"), "n1");
            await().atMost(Duration.ofSeconds(10)).until(() -> backups(api).equals(Map.of(n2, false)));
            assertThat(state(api).get(n2).serverId()).as("same identity, same id").isEqualTo(n2Id);
            await().atMost(Duration.ofSeconds(10)).until(() -> answers(frontend).equals(Set.of("o2")));

            bind.addSrv(PRIO, 10, 50, origins.port("o1"), "n1");
            await().atMost(Duration.ofSeconds(10)).until(() -> backups(api).equals(Map.of(n1, false, n2, true)));
            await().atMost(Duration.ofSeconds(10)).until(() -> answers(frontend).equals(Set.of("o1")));
            assertThat(Files.readString(dir.resolve("run/haproxy.cfg"))).containsPattern("server " + n2 + " .* backup");
        }
    }

    @Test
    void aReplyTooLargeForUdpIsReadWholeOverTcp() throws Exception {
        // The same query over UDP alone comes back truncated: the answer below needed the TCP retry.
        SimpleResolver udp = new SimpleResolver(new InetSocketAddress("127.0.0.1", bind.port()));
        udp.setIgnoreTruncation(true);
        Message reply = udp.send(Message.newQuery(Record.newRecord(Name.fromString("_big._tcp.many.svc.test."), Type.SRV, DClass.IN)));
        assertThat(reply.getHeader().getFlag(Flags.TC)).as("UDP reply truncated").isTrue();

        try (SrvLookup lookup = DnsjavaSrvLookup.of(config("_big._tcp.many.svc.test.", bind.server()))) {
            SrvAnswer answer = lookup.lookup("_big._tcp.many.svc.test.");
            assertThat(answer.records()).hasSize(MANY);
            SrvEndpoints.Result r = SrvEndpoints.of("_big._tcp.many.svc.test.", answer, DnsSourceConfig.PriorityPolicy.LOWEST,
                    DnsSourceConfig.WeightPolicy.EQUAL);
            assertThat(r.rejected()).isEmpty();
            assertThat(r.endpoints()).hasSize(MANY).anySatisfy(e -> {
                assertThat(e.identity()).isEqualTo("many-target-59.svc.test:30059");
                assertThat(e.address()).isEqualTo("127.0.0.60");
            });
        }
    }

    @Test
    void refusedAndUnreachableServersAreReportedAndTheNextServerIsAsked() throws Exception {
        String silent = "127.0.0.1:" + Ports.free();
        try (SrvLookup lookup = DnsjavaSrvLookup.of(config("_http._tcp.app.other.test.", silent, bind.server()))) {
            assertThatThrownBy(() -> lookup.lookup("_http._tcp.app.other.test."))
                    .isInstanceOf(DnsLookupException.class)
                    .hasMessageContaining(silent + ": ")
                    .hasMessageContaining(bind.server() + ": REFUSED");
        }
        try (SrvLookup lookup = DnsjavaSrvLookup.of(config(APP + ".svc.test.", silent, bind.server()))) {
            assertThat(lookup.lookup(APP + ".svc.test.").records()).hasSize(2);
        }
    }

    @Test
    void aSourceOnAStoppedServerKeepsItsEndpointsAndRecoversWhenItIsBack() throws Exception {
        DnsSource source = new DnsSource(config(APP + ".svc.test.", bind.server()),
                DnsjavaSrvLookup.of(config(APP + ".svc.test.", bind.server())), Clock.systemUTC());
        List<SourceSnapshot> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (source) {
            source.start(heard::add);
            assertThat(source.current().endpoints()).hasSize(2);
            bind.stop();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !source.current().healthy());
                assertThat(source.current().endpoints()).hasSize(2);
                assertThat(source.current().error()).contains(bind.server());
            } finally {
                bind.start();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> source.current().healthy());
            assertThat(source.current().endpoints()).hasSize(2);
        }
    }

    @Test
    void nxdomainIsAnEmptyGoodRead() throws Exception {
        try (SrvLookup lookup = DnsjavaSrvLookup.of(config("_none._tcp.app.svc.test.", bind.server()))) {
            SrvAnswer a = lookup.lookup("_none._tcp.app.svc.test.");
            assertThat(a.records()).isEmpty();
            assertThat(a.ttlSeconds()).isEqualTo(-1);
        }
    }
}
