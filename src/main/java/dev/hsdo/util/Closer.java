package dev.hsdo.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** What a component started, closed newest first; a part that fails to close is logged and the rest still close. */
public final class Closer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final List<AutoCloseable> parts = new ArrayList<>();

    /** Registers {@code part} and returns it. */
    public synchronized <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>(parts);
            parts.clear();
        }
        for (AutoCloseable c : all.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping {} failed", c.getClass().getSimpleName(), e);
            }
        }
    }
}
