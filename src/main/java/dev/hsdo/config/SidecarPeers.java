package dev.hsdo.config;

import dev.hsdo.model.Endpoint;
import dev.hsdo.model.Tokens;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where {@code hsdo sidecar} finds the other HAProxies of its peers section: the addresses an SRV record's
 * targets resolve to. A peer is named after its address and port ({@code 10.0.0.2-10000}), so every sidecar
 * renders the same name for the same HAProxy, and each one knows its own name from its peer bind alone,
 * without asking DNS (which may not list it yet when it starts). Pure: turning answers into peers does no I/O.
 *
 * @param srv  the record to read; its priority policy is {@code ALL}, since every listed HAProxy is a peer
 * @param port the port of every peer listener when the record lists the nodes beside the HAProxies (the
 *             neighbours record), or null when the record's own ports are the peer listeners
 */
public record SidecarPeers(DnsSourceConfig srv, Integer port) {
    public SidecarPeers {
        Objects.requireNonNull(srv, "srv");
        if (port != null && (port < 1 || port > 65535)) throw new IllegalArgumentException("port: invalid value " + port + " (1..65535)");
    }

    /**
     * The peer listening on {@code ip:port}, named {@code ip-port} with the address in its canonical form (as a
     * DNS answer gives it) and ':' of IPv6 turned into '-'.
     *
     * @throws IllegalArgumentException when {@code ip} is not an IP literal
     */
    public static PeerConfig peer(String ip, int port) {
        Tokens.require(Tokens.isIpLiteral(ip), "peer address", ip, "an IPv4 or IPv6 literal");
        String canonical;
        try {
            // An IP literal is parsed without any lookup.
            canonical = InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("peer address: invalid value " + Tokens.show(ip));
        }
        boolean v6 = canonical.contains(":");
        return new PeerConfig(PeerConfig.sanitize(canonical + "-" + port), (v6 ? "[" + canonical + "]" : canonical) + ":" + port);
    }

    /**
     * The peers {@code endpoints} of the record stand for, sorted by name; two targets with one address and
     * port are one HAProxy. {@code problems} receives what was left out.
     */
    public List<PeerConfig> peers(List<Endpoint> endpoints, List<String> problems) {
        Map<String, PeerConfig> byName = new TreeMap<>();
        for (Endpoint e : endpoints) {
            try {
                PeerConfig p = peer(e.address(), port == null ? e.port() : port);
                byName.putIfAbsent(p.name(), p);
            } catch (IllegalArgumentException ex) {
                problems.add(e.identity() + ": peer left out: " + ex.getMessage());
            }
        }
        return new ArrayList<>(byName.values());
    }
}
