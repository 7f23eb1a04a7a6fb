package dev.hsdo.discovery.tenants;

import java.io.IOException;
import java.util.Map;

/**
 * Where the raw tenant → shard entries live (a file, an etcd prefix, or only the plan store). Entries are raw:
 * the controller checks them ({@code TenantIds.check}) and reports the unsafe ones rather than dropping them
 * silently. Writes from the admin API go to the source itself, so it stays the one truth.
 */
public interface TenantSource extends AutoCloseable {
    /**
     * Starts reading; {@code onChange} runs (on any thread) after each change of the entries. The first read
     * happens before this method returns.
     *
     * @throws IOException when the first read fails (the source then starts empty and keeps trying)
     */
    void start(Runnable onChange) throws IOException;

    /** The entries as last read, in the source's order (a tenant listed twice keeps its last shard). */
    Map<String, String> entries();

    /** The last read error, or null. */
    String error();

    /** Checks the source for a change now (a file's modification time); sources that are told of changes do nothing. */
    default void poll() {}

    /**
     * Sets entries ({@code shard} null deletes the tenant) and, with {@code replace}, drops every entry not in
     * {@code changes}. Returns when the source holds the change.
     *
     * @throws IOException when the source cannot be written (nothing changed)
     */
    void write(Map<String, String> changes, boolean replace) throws IOException;

    @Override
    void close();
}
