package dev.hsdo.agent;

import dev.hsdo.haproxy.MalformedOutputException;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.ServersStateParser;
import dev.hsdo.haproxy.StatCsvParser;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.store.HaproxyServers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What HAProxy reports of its servers: {@code show servers state} (id, address, weight, state, TLS) and
 * the server lines of {@code show stat} (maxconn as {@code slim}, {@code bck} for backup), which the
 * state dump lacks.
 *
 * @param rows  server state rows by backend name
 * @param stats stat rows by backend name, then server name
 */
public record Observed(Map<String, List<ServerStateRow>> rows, Map<String, Map<String, StatRow>> stats) {
    // -1 4 -1: every proxy, servers only, every server.
    private static final String STATS = "show stat -1 4 -1";

    public Observed {
        rows = Map.copyOf(rows);
        stats = Map.copyOf(stats);
    }

    /** Reads both dumps in one pipelined batch. */
    public static Observed read(RuntimeApi api) throws RuntimeApiException {
        List<Reply> replies = ok(api.execute(List.of("show servers state", STATS)));
        try {
            Map<String, Map<String, StatRow>> stats = new HashMap<>();
            for (StatRow s : StatCsvParser.parse(replies.get(1).output()))
                if (s.isServer()) stats.computeIfAbsent(s.proxy(), k -> new HashMap<>()).put(s.service(), s);
            return new Observed(states(replies.get(0)), stats);
        } catch (MalformedOutputException e) {
            throw unreadable(e);
        }
    }

    /**
     * Reads only {@code show servers state}: enough to see every membership, address, weight and state drift;
     * without stat rows the diff does not check maxconn and the backup flag. For quiet rounds.
     */
    public static Observed readStates(RuntimeApi api) throws RuntimeApiException {
        try {
            return new Observed(states(ok(api.execute(List.of("show servers state"))).getFirst()), Map.of());
        } catch (MalformedOutputException e) {
            throw unreadable(e);
        }
    }

    private static List<Reply> ok(List<Reply> replies) throws RuntimeApiException {
        for (Reply r : replies) if (!r.ok()) throw new RuntimeApiException(r.command() + ": " + r.error());
        return replies;
    }

    private static Map<String, List<ServerStateRow>> states(Reply reply) throws MalformedOutputException {
        return ServersStateParser.parse(reply.output()).stream().collect(Collectors.groupingBy(ServerStateRow::backendName));
    }

    private static RuntimeApiException unreadable(MalformedOutputException e) {
        return new RuntimeApiException("unreadable answer: " + e.getMessage(), e);
    }

    /**
     * Every backend's servers as counts (up, down, in maintenance) and current sessions. A read without stat rows
     * (a quiet round) has no sessions: those of {@code previous} are kept for the backends it has.
     */
    public Map<String, HaproxyServers> summary(Map<String, HaproxyServers> previous) {
        Map<String, HaproxyServers> out = new TreeMap<>();
        rows.forEach((backend, list) -> {
            int up = 0, down = 0, maint = 0;
            List<String> downNames = new ArrayList<>();
            for (ServerStateRow r : list.stream().sorted(Comparator.comparing(ServerStateRow::serverName)).toList()) {
                if (r.isMaint()) maint++;
                else if (r.isUp()) up++;
                else {
                    down++;
                    downNames.add(r.serverName());
                }
            }
            long sessions;
            if (stats.isEmpty()) {
                HaproxyServers before = previous.get(backend);
                sessions = before == null ? 0 : before.sessions();
            } else {
                sessions = stats(backend).values().stream().mapToLong(StatRow::currentSessions).sum();
            }
            out.put(backend, new HaproxyServers(up, down, maint, sessions, downNames));
        });
        return out;
    }

    /** The state rows of {@code backend}; none when HAProxy has no such backend. */
    public List<ServerStateRow> rows(String backend) {
        return rows.getOrDefault(backend, List.of());
    }

    /** The stat rows of {@code backend}'s servers by server name. */
    public Map<String, StatRow> stats(String backend) {
        return stats.getOrDefault(backend, Map.of());
    }
}
