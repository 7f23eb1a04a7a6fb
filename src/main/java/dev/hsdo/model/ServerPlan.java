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
 * @param rampSince  for a server in slow start, when it joined (its weight is a step towards the full one); null otherwise
 */
public record ServerPlan(String name, int id, String identity, String address, int port, int weight, ServerState state,
                         String zone, ServerOptions options, Instant drainUntil, Instant rampSince) {
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

    /** A server that is not in slow start. */
    public ServerPlan(String name, int id, String identity, String address, int port, int weight, ServerState state,
                      String zone, ServerOptions options, Instant drainUntil) {
        this(name, id, identity, address, port, weight, state, zone, options, drainUntil, null);
    }

    /** This server with another state and drain deadline. */
    public ServerPlan withState(ServerState newState, Instant newDrainUntil) {
        return new ServerPlan(name, id, identity, address, port, weight, newState, zone, options, newDrainUntil, rampSince);
    }

    /** This server at {@code newWeight}, in slow start since {@code since} (null: at full weight). */
    public ServerPlan withWeight(int newWeight, Instant since) {
        return new ServerPlan(name, id, identity, address, port, newWeight, state, zone, options, drainUntil, since);
    }
}
