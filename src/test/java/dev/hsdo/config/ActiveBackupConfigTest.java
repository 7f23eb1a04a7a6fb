package dev.hsdo.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The peers section, active-backup backends and health-check types: read into records, bad values named by key path. */
class ActiveBackupConfigTest {
    private static final String BASE = """
            frontends:
              - {name: fe, bind: 127.0.0.1:8080}
            sources:
              - {name: servers, path: servers.yaml}
            """;
    private static final String PEERS = """
            peers:
              local-name: hp-a
              bind: 127.0.0.1:10001
              static:
                - {name: hp-b, address: 127.0.0.1:10002}
                - {name: hp-c, address: "db-c.example:10003"}
            """;

    private static HsdoConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Path.of("/etc/hsdo"), Map.of(), "hsdo.yaml");
    }

    private static List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected a ConfigException");
    }

    private static String backend(String body) {
        return BASE + "backends:\n  - name: db\n    mode: tcp\n" + body.indent(4);
    }

    @Test
    void activeBackupBackendWithPeersAndMysqlCheckIsReadIntoRecords() {
        HsdoConfig c = parse(backend("active-backup: true\nhealth-check: {type: mysql, mysql-user: haproxy_check}") + PEERS);
        BackendConfig db = c.backend("db");
        assertThat(db.activeBackup()).isTrue();
        assertThat(db.healthCheck().type()).isEqualTo(CheckType.MYSQL);
        assertThat(db.healthCheck().mysqlUser()).isEqualTo("haproxy_check");
        assertThat(c.peers()).isEqualTo(new PeersConfig("hp-a", "127.0.0.1:10001",
                List.of(new PeerConfig("hp-b", "127.0.0.1:10002"), new PeerConfig("hp-c", "db-c.example:10003"))));
    }

    @Test
    void theLocalPeerNameDefaultsToTheSanitisedAgentId() {
        HsdoConfig c = parse(backend("active-backup: true") + "peers: {bind: 127.0.0.1:10001}\nfleet: {agent-id: 'web-1:9090'}\n");
        assertThat(c.peers().localName()).isEqualTo("web-1-9090");
        assertThat(c.peers().staticPeers()).isEmpty();
    }

    @Test
    void activeBackupWithoutPeersIsAnErrorNamingTheBackendKey() {
        assertThat(errors(backend("active-backup: true"))).containsExactly(
                "hsdo.yaml: backends[0].active-backup: needs a top-level peers section (peers.bind: where this HAProxy's peer listener binds)");
    }

    @Test
    void peersWithoutAnActiveBackupBackendIsAnError() {
        assertThat(errors(backend("balance: roundrobin") + PEERS))
                .containsExactly("hsdo.yaml: peers: no backend has active-backup: true, so no peers section is rendered");
    }

    @Test
    void badPeerNamesAndAddressesAreNamedByKeyPath() {
        String peers = """
                peers:
                  local-name: "hp a"
                  bind: 127.0.0.1:10001
                  static:
                    - {name: "b;c", address: 127.0.0.1:10002}
                    - {name: hp-d, address: "127.0.0.1"}
                    - {name: hp-e, address: "127.0.0.1:99999"}
                    - {name: hp-d, address: "127.0.0.1:10005"}
                """;
        assertThat(errors(backend("active-backup: true") + peers)).containsExactly(
                "hsdo.yaml: peers.local-name: invalid value 'hp a' (letters, digits, '-', '_', '.', at most 64)",
                "hsdo.yaml: peers.static[0].name: invalid value 'b;c' (letters, digits, '-', '_', '.', at most 64)",
                "hsdo.yaml: peers.static[1].address: invalid address '127.0.0.1' (host:port with an IPv4 literal, [IPv6] or a host name)",
                "hsdo.yaml: peers.static[2].address: invalid address '127.0.0.1:99999' (port 1..65535)");
    }

    @Test
    void aStaticPeerNamedLikeTheLocalOneIsADuplicate() {
        String peers = "peers: {local-name: hp-a, bind: 127.0.0.1:10001, static: [{name: hp-a, address: 127.0.0.1:10002}]}\n";
        assertThat(errors(backend("active-backup: true") + peers)).containsExactly(
                "hsdo.yaml: peers.static[0].name: duplicate peer 'hp-a' (the local peer's name; it is added by hsdo)");
    }

    @Test
    void thePeerBindIsRequiredAndMayNotTakeAnotherBindsPort() {
        assertThat(errors(backend("active-backup: true") + "peers: {local-name: a}\n")).containsExactly(
                "hsdo.yaml: peers.bind: is required: where this HAProxy's peer listener binds, e.g. 127.0.0.1:10001");
        assertThat(errors(backend("active-backup: true") + "peers: {bind: 127.0.0.1:8080}\n")).containsExactly(
                "hsdo.yaml: peers.bind: port 8080 is also used by frontends[0].bind");
    }

    @Test
    void aMysqlCheckInAnHttpBackendIsAnError() {
        String yaml = BASE + "backends:\n  - name: db\n    health-check: {type: mysql}\n";
        assertThat(errors(yaml)).containsExactly(
                "hsdo.yaml: backends[0].health-check.type: a mysql check needs a tcp backend (set the backend's mode: tcp)");
    }

    @Test
    void checkSettingsOfAnotherTypeAndBadValuesAreErrors() {
        assertThat(errors(backend("health-check: {type: tcp, mysql-user: x, command: /bin/true}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.mysql-user: only applies with type: mysql",
                "hsdo.yaml: backends[0].health-check.command: only applies with type: external");
        assertThat(errors(backend("health-check: {type: mysql, mysql-user: 'a b'}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.mysql-user: invalid value 'a b' (letters, digits, '_', '.', '-', at most 80)");
        assertThat(errors(backend("health-check: {type: external}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.command: is required with type: external");
        assertThat(errors(backend("health-check: {type: external, command: 'check.sh'}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.command: invalid value 'check.sh' (an absolute path of letters, digits, '.', '_', '/', '+', '-')");
        assertThat(errors(backend("health-check: {type: external, command: '/usr/bin/check db'}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.command: invalid value '/usr/bin/check db' (an absolute path of letters, digits, '.', '_', '/', '+', '-')");
        assertThat(errors(backend("health-check: {type: ping}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.type: unknown value 'ping' (expected http, tcp, mysql or external)");
    }

    @Test
    void anExternalCheckIsReadWithItsCommandButRefusedForTheUsersOwnHaproxy() {
        HsdoConfig c = parse(backend("active-backup: true\nhealth-check: {type: external, command: /usr/local/bin/galera-check}") + PEERS);
        assertThat(c.backend("db").healthCheck().typeIn(c.backend("db").mode())).isEqualTo(CheckType.EXTERNAL);
        assertThat(c.backend("db").healthCheck().command()).isEqualTo("/usr/local/bin/galera-check");
        // hsdo renders no config for the user's own HAProxy, so it could not give the servers their file lines.
        assertThat(errors(backend("health-check: {type: external, command: /usr/local/bin/check}")
                + "fleet: {haproxy-socket: /run/haproxy/admin.sock}\n")).containsExactly(
                "hsdo.yaml: backends[0].health-check.type: external checks need servers rendered into haproxy.cfg and a "
                        + "reload per membership change, which hsdo cannot do for your own HAProxy (fleet.haproxy-socket): "
                        + "use type: mysql or tcp with steps");
    }

    @Test
    void tcpStepsAreReadInOrderAndTextThatCouldBreakTheLineIsRefused() {
        HsdoConfig c = parse(backend("health-check:\n  type: tcp\n  steps:\n    - {send: 'PING\\r\\n'}\n    - {expect: +PONG}"));
        assertThat(c.backend("db").healthCheck().tcpSteps()).containsExactly(
                new TcpCheckStep("PING\\r\\n", null), new TcpCheckStep(null, "+PONG"));
        assertThat(errors(backend("health-check: {type: tcp, steps: [{send: 'a b'}, {send: x, expect: y}]}"))).containsExactly(
                "hsdo.yaml: backends[0].health-check.steps[0].send: invalid value 'a b' (printable characters without spaces, quotes, '#' or '\\', plus the escapes \\r \\n \\t)",
                "hsdo.yaml: backends[0].health-check.steps[1]: each step has exactly one of send or expect");
    }

    @Test
    void aPeerRecordRefusesWhatCouldBreakTheConfig() {
        assertThatThrownBy(() -> new PeerConfig("a\nb", "127.0.0.1:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerConfig("a", "127.0.0.1:1 backup")).isInstanceOf(IllegalArgumentException.class);
    }
}
