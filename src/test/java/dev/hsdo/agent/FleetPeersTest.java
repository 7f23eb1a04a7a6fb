package dev.hsdo.agent;

import dev.hsdo.config.PeerConfig;
import dev.hsdo.store.AgentReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The peers an agent renders from the registered agents: the others, validated, sorted. */
class FleetPeersTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static AgentReport report(String id, String peer, String address) {
        return new AgentReport(id, null, null, 1, 1, NOW, null, NOW, null, List.of(), peer, address, Map.of());
    }

    @Test
    void theOtherAgentsAdvertisingAPeerBecomePeersSortedAndBadOrClashingOnesAreLeftOutAndReported() {
        List<String> problems = new ArrayList<>();
        List<PeerConfig> peers = FleetPeers.of("me", "hp-me", List.of(
                report("me", "hp-me", "127.0.0.1:1"),
                report("z", "hp-z", "127.0.0.1:3"),
                report("b", "hp-b", "127.0.0.1:2"),
                report("old", null, null),
                report("evil", "hp-x", "127.0.0.1:4 backup"),
                report("twin", "hp-me", "127.0.0.1:5")), problems);
        assertThat(peers).containsExactly(new PeerConfig("hp-b", "127.0.0.1:2"), new PeerConfig("hp-z", "127.0.0.1:3"));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("agent evil: peer left out:");
        assertThat(problems.get(1)).isEqualTo("agent twin: peer name hp-me is taken by another HAProxy (left out)");
    }
}
