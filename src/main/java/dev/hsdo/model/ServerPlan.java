package dev.hsdo.model;

import java.time.Instant;

/**
 * One server as hsdo wants it in one backend.
 *
 * @param name       HAProxy server name, derived from identity
 * @param id         HAProxy numeric id, derived from identity; it places the server on the hash ring
 * @param identity   the endpoint identity it came from
 * @param address    IP literal
 * @param port       port
 * @param weight     0..256
 * @param state      wanted administrative state
 * @param zone       zone or null
 * @param options    server keywords
 * @param drainUntil for a leaving server, when it goes to maint and is deleted; null otherwise
 */
public record ServerPlan(String name, int id, String identity, String address, int port, int weight, ServerState state,
                         String zone, ServerOptions options, Instant drainUntil) {
    public ServerPlan {
        Tokens.require(Tokens.isName(name), "server name", name, "letters, digits, '-', '_', '.', ':'");
        if (id < 1) throw new IllegalArgumentException("server " + name + ": id must be > 0, got " + id);
        Tokens.require(Tokens.isIpLiteral(address), "server " + name + " address", address, "an IP literal");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("server " + name + ": port " + port);
        if (weight < 0 || weight > 256) throw new IllegalArgumentException("server " + name + ": weight " + weight);
        java.util.Objects.requireNonNull(state, "state");
        java.util.Objects.requireNonNull(options, "options");
        if (state == ServerState.DRAIN && drainUntil == null)
            throw new IllegalArgumentException("server " + name + ": a draining server needs drainUntil");
    }

    /** This server with another state and drain deadline. */
    public ServerPlan withState(ServerState newState, Instant newDrainUntil) {
        return new ServerPlan(name, id, identity, address, port, weight, newState, zone, options, newDrainUntil);
    }
}
