package dev.hsdo.discovery.file;

import dev.hsdo.config.FileSourceConfig;
import dev.hsdo.discovery.Parsed;
import dev.hsdo.discovery.SnapshotPublisher;
import dev.hsdo.discovery.Source;
import dev.hsdo.model.SourceSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

/**
 * Endpoints from a YAML or JSON file (see {@link ServerFile} for the format), re-read when it changes.
 *
 * <p>Changes are noticed through a {@link WatchService} on the file's directory, which also sees editors
 * that replace the file by renaming, and by polling every {@code pollInterval}, because watching is slow
 * or absent on some filesystems (and impossible while the directory does not exist). A file that is
 * missing, empty or unparseable keeps the last good endpoints with the error set. Listeners hear of a new
 * snapshot only when endpoints, error or rejected entries change; they are called on the watching or
 * polling thread, one at a time and in order.
 */
public final class FileSource implements Source {
    /** How often the file is polled unless said otherwise. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(FileSource.class);
    // Editors write in several steps; read once they have settled rather than at every step.
    private static final long SETTLE_MS = 25;
    private static final int SETTLE_ROUNDS = 8;

    /** What was last read, to skip re-parsing an unchanged file. */
    private record Fingerprint(long size, FileTime modified, byte[] sha256) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Fingerprint f && size == f.size && modified.equals(f.modified) && Arrays.equals(sha256, f.sha256);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(sha256);
        }
    }

    private final String name;
    private final Path path;
    private final Duration pollInterval;
    private final Clock clock;

    private final Object lock = new Object();
    /** Guarded by lock (its own methods but current()). */
    private final SnapshotPublisher publisher;
    /** Guarded by lock. */
    private boolean started;
    /** Guarded by lock; null after a failed read so that the next read is parsed again. */
    private Fingerprint lastRead;
    /** Guarded by lock. */
    private WatchService watchService;
    private Thread watchThread;
    private ScheduledExecutorService poller;

    private volatile boolean closed;

    /** A source for {@code config} polling every {@link #DEFAULT_POLL_INTERVAL}. */
    public FileSource(FileSourceConfig config) {
        this(config.name(), config.path(), DEFAULT_POLL_INTERVAL, Clock.systemUTC());
    }

    /**
     * @param name         the source's configured name
     * @param path         the file to read
     * @param pollInterval how often to re-read the file whatever the watch service reports
     * @param clock        gives {@link SourceSnapshot#readAt()}
     */
    public FileSource(String name, Path path, Duration pollInterval, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.path = path.toAbsolutePath().normalize();
        if (pollInterval.isNegative() || pollInterval.isZero()) throw new IllegalArgumentException("pollInterval must be > 0, got " + pollInterval);
        this.pollInterval = pollInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.publisher = new SnapshotPublisher(name, this.path.toString());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(Consumer<SourceSnapshot> listener) {
        synchronized (lock) {
            if (started) throw new IllegalStateException("source " + name + " already started");
            if (closed) throw new IllegalStateException("source " + name + " is closed");
            publisher.listener(listener);
            started = true;
            // Watch before the first read, so that a change in between is an event, not a poll interval away.
            watchService = watch();
            refreshLocked(true);
            if (watchService != null) {
                WatchService ws = watchService;
                watchThread = new Thread(() -> watchLoop(ws), "hsdo-file-source-" + name + "-watch");
                watchThread.setDaemon(true);
                watchThread.start();
            }
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hsdo-file-source-" + name + "-poll");
                t.setDaemon(true);
                return t;
            });
            long ms = pollInterval.toMillis();
            poller.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public SourceSnapshot current() {
        return publisher.current();
    }

    @Override
    public void close() {
        closed = true;
        Thread watching;
        synchronized (lock) {
            // Taking the lock waits for a read in progress, so no listener call follows close().
            if (poller != null) poller.shutdownNow();
            if (watchService != null) {
                try {
                    watchService.close();
                } catch (IOException e) {
                    log.debug("source {}: closing the watch service of {}: {}", name, path, e.toString());
                }
            }
            watching = watchThread;
        }
        try {
            if (watching != null && watching != Thread.currentThread()) watching.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Re-reads the file and reports a new snapshot if what it says changed. */
    void refresh() {
        synchronized (lock) {
            if (!closed) refreshLocked(false);
        }
    }

    private void refreshLocked(boolean first) {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            byte[] bytes = Files.readAllBytes(path);
            Fingerprint fp = new Fingerprint(bytes.length, modified, sha256(bytes));
            if (fp.equals(lastRead)) return;
            lastRead = fp;
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            Parsed parsed = ServerFile.parse(text, path.toString());
            publisher.publish(SourceSnapshot.ok(name, parsed.endpoints(), parsed.rejected(), clock.instant()), first);
        } catch (NoSuchFileException e) {
            fail(path + ": file not found", first);
        } catch (CharacterCodingException e) {
            fail(path + ": not UTF-8 text", first);
        } catch (IOException e) {
            fail(path + ": cannot read: " + e, first);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage(), first);
        }
    }

    private void fail(String error, boolean first) {
        lastRead = null;
        publisher.fail(error, first);
    }

    /** A watch service on the file's directory, or null (then polling alone notices changes). */
    private WatchService watch() {
        Path dir = path.getParent();
        WatchService ws = null;
        try {
            ws = FileSystems.getDefault().newWatchService();
            dir.register(ws, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            return ws;
        } catch (IOException | UnsupportedOperationException e) {
            log.info("source {}: cannot watch {} ({}); polling every {} ms", name, dir, e.toString(), pollInterval.toMillis());
            if (ws != null) {
                try {
                    ws.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
            return null;
        }
    }

    private void watchLoop(WatchService ws) {
        try {
            while (!closed) {
                WatchKey key = ws.take();
                // Any event in the directory triggers a read, not only events naming the file: a symlink swap
                // (Kubernetes ConfigMaps) changes the file without an event for its name. Unchanged content is
                // recognised by its fingerprint and costs one small read.
                key.pollEvents();
                boolean valid = key.reset();
                for (int i = 0; i < SETTLE_ROUNDS; i++) {
                    WatchKey more = ws.poll(SETTLE_MS, TimeUnit.MILLISECONDS);
                    if (more == null) break;
                    more.pollEvents();
                    valid = more.reset();
                }
                refresh();
                if (!valid) {
                    log.info("source {}: {} is no longer watchable; polling every {} ms", name, path.getParent(), pollInterval.toMillis());
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            log.error("source {}: watching {} failed; polling continues", name, path, e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
