package dev.hsdo.haproxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Follows the file HAProxy writes its output to and passes every complete line on, by default to hsdo's log
 * ({@code [ALERT]} as an error, {@code [WARNING]} as a warning). HAProxy writes to a file rather than to a
 * pipe to hsdo so that it can outlive hsdo: a pipe whose reader died would fail HAProxy's writes.
 *
 * <p>HAProxy appends ({@code O_APPEND}), so once the file is larger than the limit (8 MiB) and read to
 * its end, it is truncated: writes carry on at the new end, and a log target of {@code stdout} cannot fill
 * the disk while hsdo runs.
 */
final class OutputTail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HaproxyProcess.class);
    private static final long MAX_BYTES = 8L * 1024 * 1024;
    // HAProxy writes little once started; a line reaching hsdo's log a few seconds late costs nothing, a poll
    // does: once a second after output, doubling to every 8 s while the file stays quiet. An error hsdo
    // reports about HAProxy drains the file first, so it never misses the lines behind it.
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration POLL_QUIET = Duration.ofSeconds(8);
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final long maxBytes;
    private final Consumer<String> lines;
    // guarded by this: how far the file was read and passed on, and the bytes of a line not yet ended
    private long position;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private Thread thread;
    private volatile boolean closed;

    /** Follows {@code file} into hsdo's log. */
    OutputTail(Path file) {
        this(file, MAX_BYTES, OutputTail::log);
    }

    /** Follows {@code file}, passing each line to {@code lines} and truncating it past {@code maxBytes}. */
    OutputTail(Path file, long maxBytes, Consumer<String> lines) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.lines = lines;
    }

    /** The file's current size: where the output of a process started now begins. */
    long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Starts following the file from {@code from} (a byte offset), unless already following it. */
    synchronized void follow(long from) {
        if (thread != null || closed) return;
        position = from;
        thread = Thread.ofVirtual().name("haproxy-output").start(this::run);
    }

    /**
     * Passes on what was written since the last poll; called by the poll loop and before an error is reported.
     *
     * @return whether the file had changed
     */
    synchronized boolean drain() {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        // A stat is all a quiet poll costs.
        if (size == position) return false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Truncated behind our back, or by us: start again at its start.
            if (ch.size() < position) position = 0;
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            while (true) {
                buffer.clear();
                int n = ch.read(buffer, position);
                if (n <= 0) break;
                position += n;
                emitLines(buffer.array(), n);
            }
            if (position > maxBytes) {
                ch.truncate(0);
                position = 0;
            }
        } catch (NoSuchFileException e) {
            position = 0;
        } catch (IOException e) {
            log.debug("cannot read haproxy output {}: {}", file, e.getMessage());
        }
        return size >= 0;
    }

    /** The output written since {@code from}, at most its last {@code max} characters, for an error message. */
    String since(long from, int max) {
        drain();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = Math.max(from <= size ? from : 0, size - max);
            if (start >= size) return "";
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
            ch.read(buffer, start);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    // Lock held. Splits on the newline byte, which never occurs inside a multi-byte UTF-8 character.
    private void emitLines(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != '\n') {
                partial.write(bytes[i]);
                continue;
            }
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            if (!line.isBlank()) lines.accept(line);
        }
    }

    private static void log(String line) {
        if (line.startsWith("[ALERT]")) log.error("haproxy: {}", line);
        else if (line.startsWith("[WARNING]")) log.warn("haproxy: {}", line);
        else log.info("haproxy: {}", line);
    }

    private void run() {
        Duration delay = POLL;
        while (!closed) {
            delay = drain() ? POLL : min(delay.multipliedBy(2), POLL_QUIET);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Passes on what is left and stops following. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t == null) return;
        t.interrupt();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }
}
