package dev.hsdo.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client writing continuously through one MariaDB endpoint (an HAProxy frontend): one autocommit INSERT into
 * {@link Galera#TABLE} per interval, each with its own id. It records every acknowledged id with the node
 * that served it, counts failed statements and failed connects, and reconnects after any failure, as an
 * application would. It stops when asked or after a bound, whichever comes first.
 */
public final class GaleraWriter implements AutoCloseable {
    private final String name;
    private final int port;
    private final long intervalNanos;
    private final long deadlineNanos;
    private final Thread thread;
    private volatile boolean stopping;
    private long nextId; // set before the thread starts, then the writer thread's alone
    // Guarded by this: filled by the writer thread, read by result() from the test thread.
    private final List<Ack> acks = new ArrayList<>();
    private final List<Long> failureNanos = new ArrayList<>();
    private final List<Connect> connects = new ArrayList<>();
    private final Map<String, Integer> errors = new TreeMap<>();
    private int failedStatements;
    private int failedConnects;

    /** One acknowledged INSERT: its id, the node whose connection took it, when ({@link System#nanoTime()}). */
    public record Ack(long id, String node, long atNanos) {}

    /** A successful (re)connect: the node the new connection reached, when ({@link System#nanoTime()}). */
    public record Connect(String node, long atNanos) {}

    /**
     * What a writer did. {@code moves} counts the changes of serving node between consecutive acknowledged
     * writes: each is a client that had to reconnect elsewhere (a failover, or a failback). {@code errors}
     * counts the failures (statements and connects) by the start of their message.
     */
    public record Result(String writer, List<Ack> acks, int failedStatements, int failedConnects, List<Long> failureNanos,
                         List<Connect> connects, Map<String, Integer> errors) {
        public Result {
            acks = List.copyOf(acks);
            failureNanos = List.copyOf(failureNanos);
            connects = List.copyOf(connects);
            errors = Map.copyOf(errors);
        }

        /** The first connection at or after {@code nanos} that reached a node other than {@code node}, if any. */
        public Connect firstConnectElsewhereAfter(long nanos, String node) {
            return connects.stream().filter(a -> a.atNanos() >= nanos && !a.node().equals(node)).findFirst().orElse(null);
        }

        /** The nodes in the order the writer used them, consecutive repeats folded. */
        public List<String> nodeSequence() {
            List<String> seq = new ArrayList<>();
            for (Ack a : acks) if (seq.isEmpty() || !seq.getLast().equals(a.node())) seq.add(a.node());
            return seq;
        }

        /** How many times the serving node changed. */
        public int moves() {
            return Math.max(0, nodeSequence().size() - 1);
        }

        /** The first acknowledged write at or after {@code nanos} on a node other than {@code node}, if any. */
        public Ack firstAckElsewhereAfter(long nanos, String node) {
            return acks.stream().filter(a -> a.atNanos() >= nanos && !a.node().equals(node)).findFirst().orElse(null);
        }

        /** The longest time between two acknowledged writes. */
        public Duration longestGap() {
            long max = 0;
            for (int i = 1; i < acks.size(); i++) max = Math.max(max, acks.get(i).atNanos() - acks.get(i - 1).atNanos());
            return Duration.ofNanos(max);
        }

        /** The acknowledged ids that {@code present} (the ids found in the table) lacks: lost writes. */
        public List<Long> missingFrom(Set<Long> present) {
            return acks.stream().map(Ack::id).filter(id -> !present.contains(id)).toList();
        }
    }

    private GaleraWriter(String name, int port, Duration interval, Duration bound) {
        if (!name.matches("[a-z0-9-]{1,32}")) throw new IllegalArgumentException("writer name must match [a-z0-9-]{1,32}: " + name);
        this.name = name;
        this.port = port;
        this.intervalNanos = interval.toNanos();
        this.deadlineNanos = System.nanoTime() + bound.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("galera-writer-" + name).unstarted(this::loop);
    }

    /**
     * Starts writing through {@code 127.0.0.1:port} as {@code name} (also the {@code writer} column), one
     * INSERT every {@code interval}, for at most {@code bound}. Ids are {@code idBase + 1, + 2, ...}: give
     * writers sharing the table disjoint bases.
     */
    public static GaleraWriter start(String name, int port, long idBase, Duration interval, Duration bound) {
        GaleraWriter w = new GaleraWriter(name, port, interval, bound);
        w.nextId = idBase;
        w.thread.start();
        return w;
    }

    /** Acknowledged writes so far. */
    public synchronized int acknowledged() {
        return acks.size();
    }

    /** The node of the last acknowledged write, or null before the first. */
    public synchronized String lastNode() {
        return acks.isEmpty() ? null : acks.getLast().node();
    }

    /** Stops writing (waits for the statement in flight, at most its socket timeout) and returns what happened. */
    public Result stop() {
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) throw new IllegalStateException("writer " + name + " did not stop within 40 s");
        synchronized (this) {
            return new Result(name, acks, failedStatements, failedConnects, failureNanos, connects, errors);
        }
    }

    /** The ids of {@code writer} present in the table, read through the node at {@code port}. */
    public static Set<Long> idsOnNode(int port, String writer) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = Galera.connect(port);
             PreparedStatement ps = c.prepareStatement("SELECT id FROM " + Galera.TABLE + " WHERE writer = ?")) {
            ps.setString(1, writer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Override
    public void close() {
        if (thread.isAlive()) stop();
    }

    private void loop() {
        Connection conn = null;
        String node = null;
        PreparedStatement insert = null;
        long next = System.nanoTime();
        while (!stopping && System.nanoTime() < deadlineNanos) {
            // Paces the client, it synchronises nothing: one attempt per interval, whatever the last one did.
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            next = Math.max(next + intervalNanos, System.nanoTime());
            if (conn == null) {
                try {
                    conn = Galera.connect(port);
                    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT @@wsrep_node_name")) {
                        rs.next();
                        node = rs.getString(1);
                    }
                    insert = conn.prepareStatement("INSERT INTO " + Galera.TABLE + " (id, writer, node) VALUES (?, ?, ?)");
                    long at = System.nanoTime();
                    synchronized (this) {
                        connects.add(new Connect(node, at));
                    }
                } catch (SQLException e) {
                    closeQuietly(conn);
                    conn = null;
                    synchronized (this) {
                        failedConnects++;
                        tally(e);
                    }
                    continue;
                }
            }
            long id = ++nextId;
            try {
                insert.setLong(1, id);
                insert.setString(2, name);
                insert.setString(3, node);
                insert.executeUpdate();
                long at = System.nanoTime();
                synchronized (this) {
                    acks.add(new Ack(id, node, at));
                }
            } catch (SQLException e) {
                // The outcome of a failed autocommit INSERT is unknown (it may have committed): not acknowledged.
                long at = System.nanoTime();
                synchronized (this) {
                    failedStatements++;
                    failureNanos.add(at);
                    tally(e);
                }
                closeQuietly(conn);
                conn = null;
            }
        }
        closeQuietly(conn);
    }

    // Caller holds this.
    private void tally(SQLException e) {
        // Without the connection number and port, so that the same failure counts as one kind.
        String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                .replaceFirst("^\\(conn=\\d+\\) ", "").replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");
        errors.merge(m.length() > 80 ? m.substring(0, 80) : m, 1, Integer::sum);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException e) {
            // a broken connection is being dropped anyway
        }
    }

    @Override
    public String toString() {
        return "writer " + name + " via 127.0.0.1:" + port + " every " + TimeUnit.NANOSECONDS.toMillis(intervalNanos) + " ms";
    }
}
