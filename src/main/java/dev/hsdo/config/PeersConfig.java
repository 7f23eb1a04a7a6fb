package dev.hsdo.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code peers} section: how this HAProxy shares the stick tables of active/backup backends with the
 * rest of the fleet.
 *
 * @param localName   the name this HAProxy is started with ({@code localpeer}); it must name the same
 *                    HAProxy in every instance's peer list
 * @param bind        where this HAProxy's peer listener binds ({@code host:port}); advertised to the fleet
 * @param staticPeers the other HAProxies ({@code hsdo run}); the local one is added by hsdo
 */
public record PeersConfig(String localName, String bind, List<PeerConfig> staticPeers) {
    public PeersConfig {
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(bind, "bind");
        staticPeers = List.copyOf(staticPeers);
    }

    /** This HAProxy as a peer. */
    public PeerConfig local() {
        return new PeerConfig(localName, bind);
    }
}
