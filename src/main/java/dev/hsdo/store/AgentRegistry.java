package dev.hsdo.store;

import java.util.List;

/** Where agents publish their status, each entry living for the registry's time to live unless renewed. */
public interface AgentRegistry extends AutoCloseable {
    /** Publishes (or renews) {@code report} under its agent id for one time to live. */
    void report(AgentReport report) throws StoreException;

    /** The reports of every agent whose entry has not expired, sorted by agent id. */
    List<AgentReport> agents() throws StoreException;

    /** Stops renewing; the entry expires on its own. */
    @Override
    void close();
}
