package dev.hsdo.store.file;

import dev.hsdo.model.Plan;
import dev.hsdo.store.Fence;
import dev.hsdo.store.PlanFeed;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.PlanStore;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded default store: one JSON file, replaced atomically (write aside, fsync, rename), so a
 * reader sees the old plan or the new one, never a mix. A lock file serialises writers across processes.
 * Writes from this process reach watchers at once; writes from others within the poll interval.
 */
public final class FilePlanStore implements PlanStore {
    private static final Logger log = LoggerFactory.getLogger(FilePlanStore.class);

    private final Path file;
    private final Path lockFile;
    private final PlanFeed feed = new PlanFeed();
    private final Clock clock;
    private final ScheduledExecutorService poller;
    // Only the poller thread touches this: what the file looked like when it was last read.
    private Object lastSeen;

    public FilePlanStore(Path file, Duration pollInterval) {
        this(file, pollInterval, Clock.systemUTC());
    }

    /** As above, with the clock that dates a new store epoch. */
    public FilePlanStore(Path file, Duration pollInterval, Clock clock) {
        this.clock = clock;
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("plan-store-poll").unstarted(r));
        poller.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Plan> current() throws StoreException {
        try {
            return Optional.of(PlanJson.read(Files.readString(file), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes under the lock file. There is no leader lease here (no election runs on a file), so a fence is
     * not checked; a write into a missing or wiped file starts a new epoch.
     */
    @Override
    public Plan publish(Plan plan, long expectedGeneration, Fence fence) throws StoreException {
        Plan stored = expectedGeneration == 0 ? plan.withEpoch(PlanStore.newEpoch(clock.millis(), plan.epoch())) : plan;
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Plan now = current().orElse(null);
                long was = now == null ? 0 : now.generation();
                if (was != expectedGeneration || (now != null && now.epoch() != stored.epoch()))
                    throw new StoreException.Conflict(file + ": stored generation is " + was
                            + (now == null || now.epoch() == stored.epoch() ? "" : " of epoch " + now.epoch())
                            + ", expected " + expectedGeneration + (expectedGeneration == 0 ? "" : " of epoch " + stored.epoch())
                            + "; plan " + plan.generation() + " not written");
                AtomicFiles.write(file, PlanJson.write(stored));
            }
        } catch (IOException e) {
            throw new StoreException(file + ": cannot write plan " + plan.generation() + ": " + e.getMessage(), e);
        }
        feed.deliver(stored);
        return stored;
    }

    @Override
    public void watch(Consumer<Plan> listener) {
        feed.add(listener);
    }

    // Reads and parses the plan only when the file was replaced or changed since the last poll: a plan of
    // thousands of servers is not worth parsing every second to find it unchanged.
    private void poll() {
        Object seen;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            seen = List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            seen = null;
        }
        if (seen == null || seen.equals(lastSeen)) return;
        lastSeen = seen;
        try {
            current().ifPresent(feed::deliver);
        } catch (StoreException e) {
            log.warn("{}", e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
