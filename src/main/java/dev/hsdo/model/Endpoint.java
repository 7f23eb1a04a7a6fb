package dev.hsdo.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * One place a server can be reached, as a source reported it. Validated on construction, so an
 * endpoint that exists is safe to turn into HAProxy commands.
 *
 * @param name    stable name from the source, or null to use {@code address:port} as identity
 * @param address IPv4 or IPv6 literal
 * @param port    1..65535
 * @param weight  0..256, or null for the backend's default
 * @param zone    availability zone, or null
 * @param meta    tags and metadata, sorted by key
 * @param backup  serves only when no other server of its backend can (an HAProxy {@code backup} server)
 */
public record Endpoint(String name, String address, int port, Integer weight, String zone, Map<String, String> meta,
                       boolean backup) {
    public Endpoint {
        if (name != null) Tokens.require(Tokens.isName(name), "name", name, "letters, digits, '-', '_', '.', ':', at most 64");
        Tokens.require(Tokens.isIpLiteral(address), "address", address, "an IPv4 or IPv6 literal");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port: invalid value " + port + " (1..65535)");
        if (weight != null && (weight < 0 || weight > 256))
            throw new IllegalArgumentException("weight: invalid value " + weight + " (0..256)");
        if (zone != null) Tokens.require(Tokens.isZone(zone), "zone", zone, "letters, digits, '-', '_', '.'");
        TreeMap<String, String> sorted = new TreeMap<>();
        if (meta != null) {
            meta.forEach((k, v) -> {
                Tokens.require(Tokens.isMetaKey(k), "meta key", k, "letters, digits, '-', '_', '.', '/'");
                Tokens.require(Tokens.isMetaValue(v), "meta[" + k + "]", v, "printable, no space, ';', '#', quotes");
                sorted.put(k, v);
            });
        }
        meta = java.util.Collections.unmodifiableMap(sorted);
    }

    /** An endpoint that is not a backup. */
    public Endpoint(String name, String address, int port, Integer weight, String zone, Map<String, String> meta) {
        this(name, address, port, weight, zone, meta, false);
    }

    /** An endpoint known only by address and port. */
    public static Endpoint of(String address, int port) {
        return new Endpoint(null, address, port, null, null, Map.of());
    }

    /** The identity that fixes the server's id and name: the source's name, else {@code address:port}. */
    public String identity() {
        if (name != null) return name;
        return address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
    }
}
