package dev.hsdo.haproxy;

import dev.hsdo.model.Tokens;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * HAProxy's Runtime API (the stats socket at admin level). Implementations keep one connection in
 * prompt mode and pipeline commands over it. One instance is used from several threads (an agent's rounds, its
 * tenant map read-back, the status API), so implementations are thread-safe.
 */
public interface RuntimeApi extends AutoCloseable {
    /**
     * Sends every command over one connection, all at once, and returns one reply per command, in order.
     * A command HAProxy refused has an error reply; the others still run.
     *
     * @throws RuntimeApiException when the connection fails or times out (then the results are unknown)
     */
    List<Reply> execute(List<String> commands) throws RuntimeApiException;

    /** Sends one command; a refused command is an exception naming the command and HAProxy's answer. */
    default String call(String command) throws RuntimeApiException {
        Reply r = execute(List.of(command)).getFirst();
        if (!r.ok()) throw new RuntimeApiException(r.command() + ": " + r.error());
        return r.output();
    }

    /**
     * {@code show servers state <backend>}, parsed.
     *
     * @throws IllegalArgumentException when {@code backend} is not a safe HAProxy name
     * @throws RuntimeApiException      when the call fails, HAProxy refuses it (unknown backend) or the answer is unreadable
     */
    default List<ServerStateRow> showServersState(String backend) throws RuntimeApiException {
        Tokens.require(Tokens.isName(backend), "backend name", backend, "letters, digits, '_', '.', ':', '-'");
        return parsed("show servers state " + backend, ServersStateParser::parse);
    }

    /** {@code show servers state} for every backend, parsed. */
    default List<ServerStateRow> showServersState() throws RuntimeApiException {
        return parsed("show servers state", ServersStateParser::parse);
    }

    /**
     * {@code show map <map>}, parsed; {@code map} is the map's file name as the configuration loads it, or {@code #<id>}.
     *
     * @throws IllegalArgumentException when {@code map} is not a map reference (see {@link MapParser#isMapRef})
     */
    default List<MapEntry> showMap(String map) throws RuntimeApiException {
        Tokens.require(MapParser.isMapRef(map), "map", map, "letters, digits, '_', '.', '/', ':', '-', '#', '@'");
        return parsed("show map " + map, MapParser::parse);
    }

    /**
     * {@code show table <table>}, parsed (a backend's stick table has the backend's name).
     *
     * @throws IllegalArgumentException when {@code table} is not a safe HAProxy name
     */
    default List<StickEntry> showTable(String table) throws RuntimeApiException {
        Tokens.require(Tokens.isName(table), "table name", table, "letters, digits, '_', '.', ':', '-'");
        return parsed("show table " + table, TableParser::parse);
    }

    /** {@code show peers}: every peers section with this worker's sync state. */
    default List<PeersSection> showPeers() throws RuntimeApiException {
        return parsed("show peers", PeersParser::parse);
    }

    /** {@code show stat}, parsed. */
    default List<StatRow> showStat() throws RuntimeApiException {
        return parsed("show stat", StatCsvParser::parse);
    }

    /** {@code show info} as field name → value ({@code Pid}, {@code Version}, {@code Stopping}, ...). */
    default Map<String, String> showInfo() throws RuntimeApiException {
        return parsed("show info", InfoParser::parse);
    }

    private <T> T parsed(String command, Function<String, T> parser) throws RuntimeApiException {
        String output = call(command);
        try {
            return parser.apply(output);
        } catch (MalformedOutputException e) {
            throw new RuntimeApiException(command + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    /** Closes the connection; the next call opens a new one. */
    @Override
    void close();
}
