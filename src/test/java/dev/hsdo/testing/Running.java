package dev.hsdo.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test started, closed newest first after each test, so that nothing outlives it:
 * {@code @RegisterExtension final Running running = new Running();} then {@code running.add(process)}.
 */
public final class Running implements AfterEachCallback {
    private final List<AutoCloseable> started = new ArrayList<>();

    /** Closes {@code c} after the test, before everything added earlier; returns {@code c}. */
    public <T extends AutoCloseable> T add(T c) {
        started.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<AutoCloseable> all = new ArrayList<>(started);
        started.clear();
        for (AutoCloseable c : all.reversed()) c.close();
    }
}
