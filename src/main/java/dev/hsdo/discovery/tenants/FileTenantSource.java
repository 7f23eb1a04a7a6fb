package dev.hsdo.discovery.tenants;

import dev.hsdo.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;

/**
 * The tenant table in a CSV or YAML file ({@link TenantFile}). Re-read when its modification time or size
 * changes ({@link #poll}, called every controller round: one stat). An unreadable or malformed file keeps the
 * last good entries and reports the error. Admin API writes rewrite the file atomically in its own format
 * (comments of a CSV file are not kept).
 */
public final class FileTenantSource implements TenantSource {
    private static final Logger log = LoggerFactory.getLogger(FileTenantSource.class);

    private final Path file;
    private final Object lock = new Object();
    // guarded by lock: the entries last read, the file's stamp when read, and the last error
    private Map<String, String> entries = Map.of();
    private String stamp;
    private String error;
    private volatile Runnable onChange = () -> {};

    public FileTenantSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public void start(Runnable onChange) throws IOException {
        this.onChange = onChange;
        poll();
        synchronized (lock) {
            if (error != null) throw new IOException(error);
        }
    }

    @Override
    public Map<String, String> entries() {
        synchronized (lock) {
            return entries;
        }
    }

    @Override
    public String error() {
        synchronized (lock) {
            return error;
        }
    }

    @Override
    public void poll() {
        boolean changed;
        synchronized (lock) {
            changed = read();
        }
        if (changed) onChange.run();
    }

    // Called under lock; true when the entries changed.
    private boolean read() {
        try {
            String now = stamp();
            if (now.equals(stamp)) return false;
            String text = Files.readString(file);
            Map<String, String> read = TenantFile.isCsv(file.toString()) ? TenantFile.parseCsv(text, file.toString())
                    : TenantFile.parseYaml(text, file.toString());
            stamp = now;
            boolean hadError = error != null;
            error = null;
            if (hadError) log.info("tenant file {} readable again", file);
            if (read.equals(entries)) return false;
            entries = java.util.Collections.unmodifiableMap(read);
            return true;
        } catch (NoSuchFileException e) {
            return failed("tenant file " + file + ": not found");
        } catch (IOException | IllegalArgumentException e) {
            return failed(e instanceof IOException ? "tenant file " + file + ": cannot read: " + e.getMessage() : e.getMessage());
        }
    }

    private boolean failed(String message) {
        if (!message.equals(error)) log.warn("{}; keeping the last {} entries", message, entries.size());
        error = message;
        stamp = null;
        return false;
    }

    private String stamp() throws IOException {
        FileTime t = Files.getLastModifiedTime(file);
        return t.toMillis() + "/" + Files.size(file);
    }

    @Override
    public void write(Map<String, String> changes, boolean replace) throws IOException {
        synchronized (lock) {
            Map<String, String> next = TenantFile.merged(entries, changes, replace);
            String text = TenantFile.isCsv(file.toString()) ? TenantFile.csv(next) : TenantFile.yaml(next);
            AtomicFiles.write(file, text);
            // Taken as read at once: the next poll must not find a stamp that an equal mtime could hide.
            stamp = stamp();
            entries = java.util.Collections.unmodifiableMap(next);
            error = null;
        }
        onChange.run();
    }

    @Override
    public void close() {}
}
