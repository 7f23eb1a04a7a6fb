package dev.hsdo.testing;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real three-node MariaDB Galera cluster on loopback (the recipe of TESTING.md): every node with its own
 * free ports and its own directory under a fresh temp directory, the server processes children of the test
 * and stopped by their PIDs. Formation takes ~15-20 s on two idle cores (longer on a busy machine).
 *
 * <p>Once started the cluster holds the HAProxy check user {@link #CHECK_USER} (no password, from
 * 127.0.0.1, for {@code option mysql-check}), a user for the tests ({@link #jdbcUrl}) and the table
 * {@link #TABLE} the writers fill. When run as root the servers drop to the {@code mysql} user (rsync SST
 * fails as root).
 */
public final class Galera implements AutoCloseable {
    /** The user HAProxy's {@code option mysql-check} logs in as. */
    public static final String CHECK_USER = "haproxy_check";
    /** The table continuous writers insert into: {@code id, writer, node}. */
    public static final String TABLE = "hsdo_test.writes";

    private static final String USER = "hsdo";
    private static final String PASSWORD = "hsdo";
    private static final String PROVIDER = "/usr/lib/galera/libgalera_smm.so";
    // Generous: six engineers' builds share two cores; the recipe formed in ~15-18 s on an idle machine.
    private static final Duration INSTALL_BOUND = Duration.ofSeconds(120);
    private static final Duration SYNC_BOUND = Duration.ofSeconds(180);
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);
    private static final int PORTS_PER_NODE = 4;

    private final Path dir;
    private final List<Node> nodes;
    private final String clusterAddress;
    private final Thread onExit = new Thread(() -> nodes().forEach(Node::kill9), "galera-stop");

    private Galera(Path dir, int[] ports) {
        this.dir = dir;
        List<Node> list = new ArrayList<>();
        StringBuilder gcomm = new StringBuilder("gcomm://");
        for (int i = 0; i < 3; i++) {
            int base = i * PORTS_PER_NODE;
            list.add(new Node("n" + (i + 1), dir.resolve("n" + (i + 1)), ports[base], ports[base + 1], ports[base + 2], ports[base + 3]));
            gcomm.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports[base + 1]);
        }
        this.nodes = List.copyOf(list);
        this.clusterAddress = gcomm.toString();
    }

    /**
     * Installs three data directories, bootstraps the cluster on n1, joins n2 then n3 (each once the previous
     * is Synced) and creates the users and the table. Everything lives in a new temp directory that the
     * {@code mysql} user can reach (a test's {@code @TempDir} is private to root), removed by {@link #close()}.
     */
    public static Galera start() {
        if (!Files.isRegularFile(Path.of(PROVIDER))) {
            throw new IllegalStateException(PROVIDER + " is missing: install mariadb-server galera-4 mariadb-client rsync");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("hsdo-galera");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for the Galera cluster", e);
        }
        Galera g = new Galera(dir, Ports.free(3 * PORTS_PER_NODE));
        // The servers are not stopped with the JVM (they run on as orphans): a JVM that exits without close()
        // (a killed test run) stops them on its way out.
        Runtime.getRuntime().addShutdownHook(g.onExit);
        try {
            g.install();
            Node first = g.nodes.getFirst();
            first.launch(true);
            g.bootstrapSql(first);
            first.awaitSynced();
            for (Node n : g.nodes.subList(1, 3)) {
                n.launch(false);
                n.awaitSynced();
            }
            return g;
        } catch (Throwable e) {
            // Throwable: Awaitility rethrows a condition's checked SQLException as it is (seen leaking two servers).
            g.close();
            throw e;
        }
    }

    /** The three nodes, n1 first. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node named {@code name} ({@code n1}..{@code n3}). */
    public Node node(String name) {
        return nodes.stream().filter(n -> n.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Galera node " + name + "; nodes are n1, n2, n3"));
    }

    /** The node listening on {@code port}, or null. */
    public Node nodeAt(int port) {
        return nodes.stream().filter(n -> n.port == port).findFirst().orElse(null);
    }

    /** The JDBC URL of the test user for a MariaDB protocol endpoint on 127.0.0.1 (a node or an HAProxy frontend). */
    public static String jdbcUrl(int port) {
        // socketTimeout above Galera's eviction stall (evs.suspect_timeout 5 s): a write waiting for the cluster
        // to drop a dead node is slow, not failed.
        return "jdbc:mariadb://127.0.0.1:" + port + "/?user=" + USER + "&password=" + PASSWORD
                + "&connectTimeout=2000&socketTimeout=30000";
    }

    /** A new connection as the test user to {@code port} on 127.0.0.1. */
    public static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(port));
    }

    /** Which node a new connection to {@code port} reaches ({@code @@wsrep_node_name}). */
    public static String nodeBehind(int port) throws SQLException {
        try (Connection c = connect(port); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@wsrep_node_name")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Starts every node that is not running, then waits until all three are Synced. */
    public void ensureAllSynced() {
        for (Node n : nodes) if (!n.isRunning()) n.start();
        nodes.forEach(Node::awaitSynced);
    }

    /** Stops every node by PID (SIGKILL: the data is thrown away) and removes the directory. */
    @Override
    public void close() {
        nodes.forEach(Node::kill9);
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is already exiting: the hook runs (or ran) anyway
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp directory loses nothing
        }
    }

    private void install() {
        // One data directory is installed and copied: mariadb-install-db is the slow part, and a joiner's
        // data is replaced by SST anyway.
        Node first = nodes.getFirst();
        first.writeConfig();
        run(INSTALL_BOUND, dir.resolve("install.log"), "mariadb-install-db", "--defaults-file=" + first.config(),
                "--datadir=" + first.data(), "--skip-test-db", "--auth-root-authentication-method=socket",
                "--user=" + (isRoot() ? "mysql" : System.getProperty("user.name")));
        for (Node n : nodes.subList(1, 3)) {
            n.writeConfig();
            run(INSTALL_BOUND, dir.resolve("install.log"), "cp", "-a", first.data().toString(), n.data().toString());
        }
        if (isRoot()) run(INSTALL_BOUND, dir.resolve("install.log"), "chown", "-R", "mysql:mysql", dir.toString());
    }

    private void bootstrapSql(Node n) {
        // root logs in through the unix socket only (unix_socket auth): the mariadb client does that, once.
        String sql = "CREATE USER IF NOT EXISTS '" + CHECK_USER + "'@'127.0.0.1';"
                + "CREATE USER IF NOT EXISTS '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "';"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'127.0.0.1';"
                + "CREATE DATABASE IF NOT EXISTS hsdo_test;"
                + "CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, writer VARCHAR(32) NOT NULL,"
                + " node VARCHAR(32) NOT NULL) ENGINE=InnoDB;";
        Path log = n.dir.resolve("bootstrap.log");
        Awaitility.await("bootstrap SQL on " + n.name + " (see " + log + ")")
                .atMost(SYNC_BOUND).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    n.assertAlive();
                    return tryRun(Duration.ofSeconds(20), log, "mariadb", "--socket=" + n.dir.resolve("mysqld.sock"),
                            "-uroot", "-e", sql) == 0;
                });
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(Duration bound, Path log, String... cmd) {
        int code = tryRun(bound, log, cmd);
        if (code != 0) throw new IllegalStateException(String.join(" ", cmd) + " exited with " + code + "; log:\n" + read(log));
    }

    private static int tryRun(Duration bound, Path log, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(no " + p + ")";
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e + ")";
        }
    }

    /** One MariaDB server of the cluster. */
    public final class Node {
        private final String name;
        private final Path dir;
        private final int port;
        private final int galeraPort;
        private final int istPort;
        private final int sstPort;
        // Guarded by this: replaced by start(), killed from the test thread or close().
        private Process process;

        private Node(String name, Path dir, int port, int galeraPort, int istPort, int sstPort) {
            this.name = name;
            this.dir = dir;
            this.port = port;
            this.galeraPort = galeraPort;
            this.istPort = istPort;
            this.sstPort = sstPort;
        }

        /** {@code n1}, {@code n2} or {@code n3}: also its {@code wsrep_node_name}. */
        public String name() {
            return name;
        }

        /** Its MariaDB port on 127.0.0.1. */
        public int port() {
            return port;
        }

        /** Whether its server process runs. */
        public synchronized boolean isRunning() {
            return process != null && process.isAlive();
        }

        /** Its server's PID. */
        public synchronized long pid() {
            return process.pid();
        }

        /** Kills the server with SIGKILL (and any SST helper it started) and waits until it has exited. */
        public synchronized void kill9() {
            if (process == null) return;
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(name + ": pid " + h.pid() + " did not exit after SIGKILL", e);
                }
            }
        }

        /** Starts the (stopped) server again; it rejoins the cluster. Returns at once: see {@link #awaitSynced()}. */
        public synchronized void start() {
            if (isRunning()) throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
            launch(false);
        }

        /** Its {@code wsrep_local_state_comment} ({@code Synced}, {@code Joiner}, ...), read over JDBC. */
        public String state() throws SQLException {
            try (Connection c = connect(port); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'wsrep_local_state_comment'")) {
                return rs.next() ? rs.getString(2) : "";
            }
        }

        /** Waits (bounded) until the node reports Synced; fails at once if its server exits. */
        public void awaitSynced() {
            Awaitility.await(name + " Synced (log: " + dir.resolve("error.log") + ")")
                    .atMost(SYNC_BOUND).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(SQLException.class)
                    .until(() -> {
                        assertAlive();
                        return "Synced".equals(state());
                    });
        }

        private void assertAlive() {
            synchronized (this) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + tail());
                }
            }
        }

        private String tail() {
            String log = read(dir.resolve("error.log"));
            return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        }

        private Path config() {
            return dir.resolve("my.cnf");
        }

        private Path data() {
            return dir.resolve("data");
        }

        private void writeConfig() {
            String provider = "gmcast.listen_addr=tcp://127.0.0.1:" + galeraPort + ";ist.recv_addr=127.0.0.1:" + istPort
                    + ";base_port=" + galeraPort
                    // TESTING.md: with the default timeouts a loaded 2-core machine lost quorum after a node kill.
                    + ";evs.suspect_timeout=PT5S;evs.inactive_timeout=PT30S;evs.install_timeout=PT30S;gmcast.peer_timeout=PT10S";
            String cnf = "[mysqld]\n"
                    + (isRoot() ? "user=mysql\n" : "")
                    + "datadir=" + data() + "\n"
                    + "port=" + port + "\n"
                    + "bind-address=127.0.0.1\n"
                    + "socket=" + dir.resolve("mysqld.sock") + "\n"
                    + "pid-file=" + dir.resolve("mysqld.pid") + "\n"
                    + "log-error=" + dir.resolve("error.log") + "\n"
                    + "skip-name-resolve=ON\n"
                    // HAProxy's checks must never get 127.0.0.1 blocked as a host with connection errors.
                    + "max_connect_errors=1000000\n"
                    + "binlog_format=ROW\n"
                    + "default_storage_engine=InnoDB\n"
                    + "innodb_autoinc_lock_mode=2\n"
                    + "innodb_buffer_pool_size=64M\n"
                    + "performance_schema=OFF\n"
                    + "wsrep_on=ON\n"
                    + "wsrep_provider=" + PROVIDER + "\n"
                    + "wsrep_cluster_name=hsdo-test\n"
                    + "wsrep_cluster_address=" + clusterAddress + "\n"
                    + "wsrep_node_name=" + name + "\n"
                    + "wsrep_node_address=127.0.0.1:" + galeraPort + "\n"
                    + "wsrep_provider_options=\"" + provider + "\"\n"
                    + "wsrep_sst_receive_address=127.0.0.1:" + sstPort + "\n"
                    + "wsrep_sst_method=rsync\n"
                    // An rsync donor blocks its writes during the copy: prefer n3, which the tests never make
                    // the active node, so a rejoining node does not stall the writers' node (any donor if need be).
                    + "wsrep_sst_donor=\"n3,n2,n1,\"\n";
            try {
                Files.createDirectories(dir);
                Files.writeString(config(), cnf, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + config(), e);
            }
        }

        private synchronized void launch(boolean newCluster) {
            List<String> cmd = new ArrayList<>(List.of("mariadbd", "--defaults-file=" + config()));
            if (newCluster) cmd.add("--wsrep-new-cluster");
            try {
                process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
            }
        }

        @Override
        public String toString() {
            return name + "(127.0.0.1:" + port + ")";
        }
    }
}
