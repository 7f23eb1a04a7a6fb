package dev.hsdo.agent;

import dev.hsdo.config.PeerConfig;
import dev.hsdo.store.AgentReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The peers of a fleet agent's HAProxy: the other agents registered in the store that advertise a peer. An
 * advertised name or address that is not valid is left out and reported, never rendered. Pure.
 */
public final class FleetPeers {
    private FleetPeers() {}

    /**
     * The remote peers among {@code reports}, sorted by name; {@code problems} receives what was left out.
     *
     * @param localName this HAProxy's peer name: a report under it is this agent's own (or a clash, reported)
     */
    public static List<PeerConfig> of(String localAgentId, String localName, List<AgentReport> reports, List<String> problems) {
        Map<String, PeerConfig> byName = new TreeMap<>();
        for (AgentReport r : reports) {
            if (r.peerName() == null || r.agentId().equals(localAgentId)) continue;
            PeerConfig p;
            try {
                p = new PeerConfig(r.peerName(), r.peerAddress());
            } catch (IllegalArgumentException e) {
                problems.add("agent " + r.agentId() + ": peer left out: " + e.getMessage());
                continue;
            }
            if (p.name().equals(localName) || byName.containsKey(p.name())) {
                problems.add("agent " + r.agentId() + ": peer name " + p.name() + " is taken by another HAProxy (left out)");
                continue;
            }
            byName.put(p.name(), p);
        }
        return new ArrayList<>(byName.values());
    }
}
