package dev.hsdo.config;

import dev.hsdo.model.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sidecar's active/backup variables and how an SRV answer becomes the peers section. */
class SidecarPeersTest {
    private static final String SRV = "_http._tcp.store.svc.test.";

    @TempDir
    Path dir;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("DISCOVERY_DNS_NAME", SRV, "HSDO_DATA_DIR", dir.toString(),
                "HAPROXY_BIND", "127.0.0.1:8888"));
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }

    @Test
    void withoutActiveBackupThereIsNoPeersSection() {
        SidecarEnv.Parsed p = SidecarEnv.parse(env());
        assertThat(p.peers()).isNull();
        assertThat(p.config().peers()).isNull();
        assertThat(p.config().backends().get(0).activeBackup()).isFalse();
    }

    @Test
    void activeBackupReadsTheNeighboursRecordAtThisHaproxysPeerPort() {
        SidecarEnv.Parsed p = SidecarEnv.parse(env("HSDO_ACTIVE_BACKUP", "true", "HSDO_PEERS_BIND", "10.0.0.1:10000"));
        assertThat(p.config().backends().get(0).activeBackup()).isTrue();
        assertThat(p.config().peers().local()).isEqualTo(new PeerConfig("10.0.0.1-10000", "10.0.0.1:10000"));
        assertThat(p.peers().srv().srv()).isEqualTo(SRV);
        assertThat(p.peers().srv().priorityPolicy()).as("every listed HAProxy is a peer").isEqualTo(DnsSourceConfig.PriorityPolicy.ALL);
        assertThat(p.peers().port()).isEqualTo(10000);
    }

    @Test
    void aSecondRecordGivesThePeerListenersWithTheirOwnPorts() {
        SidecarEnv.Parsed p = SidecarEnv.parse(env("HSDO_ACTIVE_BACKUP", "true", "HSDO_PEERS_BIND", "[::1]:10000",
                "HSDO_PEERS_SRV", "_peers._tcp.store.svc.test"));
        assertThat(p.peers().srv().srv()).isEqualTo("_peers._tcp.store.svc.test.");
        assertThat(p.peers().port()).isNull();
        assertThat(p.config().peers().local()).isEqualTo(new PeerConfig("0-0-0-0-0-0-0-1-10000", "[0:0:0:0:0:0:0:1]:10000"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HSDO_ACTIVE_BACKUP|yes|HSDO_ACTIVE_BACKUP: invalid value 'yes' (expected true or false)",
            "HSDO_PEERS_BIND||HSDO_PEERS_BIND: is required with HSDO_ACTIVE_BACKUP=true",
            "HSDO_PEERS_BIND|peer1:10000|HSDO_PEERS_BIND: invalid value 'peer1:10000'",
            "HSDO_PEERS_BIND|10.0.0.1|HSDO_PEERS_BIND: invalid value '10.0.0.1'",
            "HSDO_PEERS_BIND|10.0.0.1:70000|HSDO_PEERS_BIND: invalid value '10.0.0.1:70000'",
            "HSDO_PEERS_BIND|0.0.0.0:10000|HSDO_PEERS_BIND: '0.0.0.0:10000' is a wildcard address",
            "HSDO_PEERS_BIND|[::]:10000|HSDO_PEERS_BIND: '[::]:10000' is a wildcard address",
            "HSDO_PEERS_BIND|127.0.0.1:8888|HSDO_PEERS_BIND:",
            "HSDO_PEERS_SRV|peers.store.svc.test|HSDO_PEERS_SRV: invalid value 'peers.store.svc.test'",
    })
    void aBadValueStopsStartUpWithAMessageNamingTheVariable(String variable, String value, String message) {
        Map<String, String> env = env("HSDO_ACTIVE_BACKUP", "true", "HSDO_PEERS_BIND", "10.0.0.1:10000");
        env.put(variable, value == null ? "" : value);
        assertThatThrownBy(() -> SidecarEnv.parse(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).anySatisfy(l -> assertThat(l).startsWith(message)));
    }

    @Test
    void peerVariablesWithoutActiveBackupAreRefused() {
        assertThatThrownBy(() -> SidecarEnv.parse(env("HSDO_PEERS_BIND", "10.0.0.1:10000", "HSDO_PEERS_SRV", "_p._tcp.svc.test.")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactly(
                        "HSDO_PEERS_BIND: is set to '10.0.0.1:10000' but HSDO_ACTIVE_BACKUP is not true (peers are only used by an active/backup backend)",
                        "HSDO_PEERS_SRV: is set to '_p._tcp.svc.test.' but HSDO_ACTIVE_BACKUP is not true (peers are only used by an active/backup backend)"));
    }

    @Test
    void everySidecarNamesAHaproxyAsThatHaproxyNamesItself() {
        SidecarPeers neighbours = SidecarEnv.parse(env("HSDO_ACTIVE_BACKUP", "true", "HSDO_PEERS_BIND", "10.0.0.2:10000")).peers();
        PeerConfig self = SidecarEnv.parse(env("HSDO_ACTIVE_BACKUP", "true", "HSDO_PEERS_BIND", "10.0.0.1:10000")).config().peers().local();
        // The neighbours record lists the store nodes (port 8080); the peer listeners share the peer port.
        List<Endpoint> answer = List.of(Endpoint.of("10.0.0.3", 8080), Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080));
        List<PeerConfig> peers = neighbours.peers(answer, new ArrayList<>());
        assertThat(peers).extracting(PeerConfig::name).containsExactly("10.0.0.1-10000", "10.0.0.2-10000", "10.0.0.3-10000");
        assertThat(peers).contains(self);
        assertThat(neighbours.peers(List.of(answer.get(2), answer.get(0), answer.get(1)), new ArrayList<>()))
                .as("the order of the answer does not matter").isEqualTo(peers);
    }

    @Test
    void aSecondRecordsPortsAreThePeerPortsAndOneHaproxyListedTwiceIsOnePeer() {
        SidecarPeers second = SidecarEnv.parse(env("HSDO_ACTIVE_BACKUP", "true", "HSDO_PEERS_BIND", "127.0.0.1:10001",
                "HSDO_PEERS_SRV", "_peers._tcp.svc.test.")).peers();
        List<PeerConfig> peers = second.peers(List.of(Endpoint.of("127.0.0.1", 10002), Endpoint.of("127.0.0.1", 10001),
                new Endpoint("a.svc.test:10002", "127.0.0.1", 10002, null, null, Map.of())), new ArrayList<>());
        assertThat(peers).containsExactly(new PeerConfig("127.0.0.1-10001", "127.0.0.1:10001"),
                new PeerConfig("127.0.0.1-10002", "127.0.0.1:10002"));
    }
}
