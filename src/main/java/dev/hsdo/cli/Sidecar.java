package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.PeersConfig;
import dev.hsdo.config.PeerConfig;
import dev.hsdo.config.SidecarEnv;
import dev.hsdo.config.SidecarPeers;
import dev.hsdo.controller.Sources;
import dev.hsdo.discovery.Source;
import dev.hsdo.model.SourceSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The neighbors sidecar: hsdo standalone configured from the environment ({@link SidecarEnv}), with its
 * files in its own data directory, which it locks so that two sidecars on one machine never share one.
 */
public final class Sidecar implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);
    // Beyond a record refresh and an agent round: the other HAProxies' hitless reload with the new peer.
    private static final Duration KNOWN_MARGIN = Duration.ofSeconds(1);

    private final FileChannel lockFile;
    private final SidecarEnv.Parsed parsed;
    // guarded by this: set once in start, after the first read of the peers' record
    private Standalone standalone;
    // guarded by this: the peers of the record's last usable answer, null before one
    private List<PeerConfig> latestPeers;
    // guarded by this: the last problem logged, so that it is logged once per change
    private String lastPeerProblem = "";
    // The peers' SRV record (HSDO_ACTIVE_BACKUP=true), else null; set once in start.
    private volatile Source peerRecord;

    private Sidecar(FileChannel lockFile, SidecarEnv.Parsed parsed) {
        this.lockFile = lockFile;
        this.parsed = parsed;
    }

    /**
     * Reads {@code env}, takes the data directory and starts hsdo with its own HAProxy.
     *
     * @throws ConfigException naming the variable when a value is missing or malformed, or the data
     *                         directory cannot be used
     */
    public static Sidecar start(Map<String, String> env, Clock clock) throws Exception {
        SidecarEnv.Parsed p = SidecarEnv.parse(env);
        if (p.slots() != null)
            log.info("HAPROXY_SLOTS={} is accepted but no longer limits anything: every peer becomes a server", p.slots());
        if (!p.ignored().isEmpty()) log.warn("not used by hsdo sidecar, ignored: {}", String.join(", ", p.ignored()));
        FileChannel lock = lock(p.dataDir());
        Sidecar sidecar = new Sidecar(lock, p);
        try {
            HsdoConfig config = p.config();
            if (p.peers() != null) {
                List<PeerConfig> first = sidecar.watchPeers(p.peers(), clock);
                config = withPeers(config, first);
                awaitBeingKnown(config, p.peers(), first);
            }
            sidecar.started(Standalone.start(config, clock));
            return sidecar;
        } catch (Exception | Error e) {
            sidecar.close();
            throw e;
        }
    }

    /**
     * Reads the peers' SRV record, and from then on hands every change to the agent (which rewrites the peers
     * section and reloads). Returns the peers of the first answer (empty if there was none): HAProxy must
     * start with them, since a fresh HAProxy takes the table from its remote peers only when it has no older
     * local process to take it from, so one started alone and reloaded with peers later would stay empty.
     */
    private List<PeerConfig> watchPeers(SidecarPeers peers, Clock clock) {
        Source source = Sources.create(peers.srv(), clock);
        peerRecord = source;
        source.start(snapshot -> applyPeers(peers, snapshot));
        synchronized (this) {
            return latestPeers == null ? List.of() : latestPeers;
        }
    }

    /**
     * When the record lists this HAProxy, gives the other sidecars the time to read it and reload with this
     * peer before HAProxy starts: a fresh HAProxy asks its remote peers for the table only in its first
     * seconds, and a peer that does not know it yet refuses it, so starting at once would leave the table
     * empty (and this HAProxy free to pick its own active server) until the entry next changes.
     */
    private static void awaitBeingKnown(HsdoConfig config, SidecarPeers from, List<PeerConfig> first) throws InterruptedException {
        boolean listed = first.stream().anyMatch(p -> p.name().equals(config.peers().localName()));
        boolean others = first.stream().anyMatch(p -> !p.name().equals(config.peers().localName()));
        if (!listed || !others) return;
        Duration wait = from.srv().refresh().plus(config.reconcileInterval()).plus(KNOWN_MARGIN);
        log.info("waiting {} ms before starting HAProxy, so that the other sidecars have read SRV {} and know this peer",
                wait.toMillis(), from.srv().srv());
        Thread.sleep(wait.toMillis());
    }

    private synchronized void started(Standalone s) {
        standalone = s;
        // An answer that came while HAProxy started.
        if (latestPeers != null) s.agent().peers(latestPeers);
    }

    /** {@code config} with {@code peers} as the peers HAProxy starts with. */
    private static HsdoConfig withPeers(HsdoConfig c, List<PeerConfig> peers) {
        PeersConfig p = new PeersConfig(c.peers().localName(), c.peers().bind(), peers);
        return new HsdoConfig(c.haproxy(), c.frontends(), c.backends(), c.sources(), c.reconcileInterval(), c.drainPeriod(),
                c.guard(), c.admin(), c.store(), c.fleet(), p, c.tenants());
    }

    private synchronized void applyPeers(SidecarPeers from, SourceSnapshot snapshot) {
        // Nothing read yet, or an answer without any HAProxy (this one should be listed at least): keep the
        // peers as they are rather than cut this HAProxy off from the fleet; its table stays either way.
        if (snapshot.state() == SourceSnapshot.State.NEVER_READ) return;
        List<String> problems = new ArrayList<>(snapshot.rejected());
        List<PeerConfig> peers = from.peers(snapshot.endpoints(), problems);
        PeerConfig local = parsed.config().peers().local();
        if (peers.isEmpty()) problems.add("no HAProxy listed: the peers are kept as they were");
        else if (peers.stream().noneMatch(p -> p.name().equals(local.name())))
            problems.add("this HAProxy (" + local.address() + ") is not listed: the other sidecars do not take it as a peer");
        String problem = String.join("; ", problems);
        if (!problem.isEmpty() && !problem.equals(lastPeerProblem)) log.warn("peers from SRV {}: {}", from.srv().srv(), problem);
        lastPeerProblem = problem;
        if (peers.isEmpty()) return;
        latestPeers = peers;
        if (standalone != null) standalone.agent().peers(peers);
    }

    private static FileChannel lock(Path dataDir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve("hsdo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held != null) return channel;
        } catch (OverlappingFileLockException e) {
            // held by this JVM: reported below like a lock held by another process
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException(List.of("HSDO_DATA_DIR: cannot use " + dataDir + ": " + e));
        }
        closeQuietly(channel);
        throw new ConfigException(List.of("HSDO_DATA_DIR: " + dataDir + " is in use by another hsdo sidecar"
                + " (give every sidecar on a machine its own HSDO_DATA_DIR)"));
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }

    /** The running hsdo. */
    public synchronized Standalone standalone() {
        return standalone;
    }

    /** What the environment said. */
    public SidecarEnv.Parsed settings() {
        return parsed;
    }

    /** Stops hsdo (and its HAProxy only with {@code HSDO_HAPROXY_STOP_WITH_HSDO=true}), then frees the data directory. */
    @Override
    public void close() {
        Source source = peerRecord;
        if (source != null) source.close();
        Standalone s;
        synchronized (this) {
            s = standalone;
        }
        if (s != null) s.close();
        closeQuietly(lockFile);
    }
}
