package dev.hsdo.cli;

import dev.hsdo.config.ConfigException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The neighbors sidecar: hsdo standalone configured from the environment ({@link SidecarEnv}), with its
 * files in its own data directory, which it locks so that two sidecars on one machine never share one.
 */
public final class Sidecar implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

    private final FileChannel lockFile;
    private final Standalone standalone;
    private final SidecarEnv.Parsed parsed;
    // The peers' SRV record (HSDO_ACTIVE_BACKUP=true), else null; set once in start.
    private volatile Source peerRecord;
    // Only the peer record's thread writes it: the last problem logged, so that it is logged once per change.
    private String lastPeerProblem = "";

    private Sidecar(FileChannel lockFile, Standalone standalone, SidecarEnv.Parsed parsed) {
        this.lockFile = lockFile;
        this.standalone = standalone;
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
        Standalone standalone = null;
        try {
            standalone = Standalone.start(p.config(), clock);
            Sidecar sidecar = new Sidecar(lock, standalone, p);
            if (p.peers() != null) sidecar.watchPeers(p.peers(), clock);
            return sidecar;
        } catch (Exception | Error e) {
            if (standalone != null) standalone.close();
            lock.close();
            throw e;
        }
    }

    /** Reads the peers' SRV record and hands every change to the agent (which rewrites peers and reloads). */
    private void watchPeers(SidecarPeers peers, Clock clock) {
        Source source = Sources.create(peers.srv(), clock);
        peerRecord = source;
        source.start(snapshot -> applyPeers(peers, snapshot));
    }

    private void applyPeers(SidecarPeers from, SourceSnapshot snapshot) {
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
        if (!peers.isEmpty()) standalone.agent().peers(peers);
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
    public Standalone standalone() {
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
        standalone.close();
        closeQuietly(lockFile);
    }
}
