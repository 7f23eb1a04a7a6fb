package dev.hsdo.model;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The servers one backend should have, ordered by id.
 *
 * @param name     backend name
 * @param servers  servers, sorted by id, unique by id and name
 * @param heldBack why the latest change to this backend was held back, or null
 */
public record BackendPlan(String name, List<ServerPlan> servers, String heldBack) {
    public BackendPlan {
        Tokens.require(Tokens.isName(name), "backend name", name, "letters, digits, '-', '_', '.', ':'");
        servers = servers.stream().sorted(Comparator.comparingInt(ServerPlan::id)).toList();
        Set<Integer> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (ServerPlan s : servers) {
            if (!ids.add(s.id())) throw new IllegalArgumentException("backend " + name + ": duplicate server id " + s.id());
            if (!names.add(s.name())) throw new IllegalArgumentException("backend " + name + ": duplicate server name " + s.name());
        }
    }

    /** The server named {@code serverName}, or null. */
    public ServerPlan server(String serverName) {
        for (ServerPlan s : servers) if (s.name().equals(serverName)) return s;
        return null;
    }
}
