package dev.hsdo.testing;

import dev.hsdo.discovery.Source;
import dev.hsdo.model.Endpoint;
import dev.hsdo.model.SourceSnapshot;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** A source whose endpoints the test sets; every {@link #set} reports a new snapshot at once. */
public final class FixedSource implements Source {
    private final String name;
    private volatile SourceSnapshot current;
    private volatile Consumer<SourceSnapshot> listener = s -> {};

    public FixedSource(String name, List<Endpoint> endpoints) {
        this.name = name;
        this.current = SourceSnapshot.ok(name, endpoints, List.of(), Instant.EPOCH);
    }

    /** Reports {@code endpoints} as the source's new snapshot. */
    public void set(List<Endpoint> endpoints) {
        current = SourceSnapshot.ok(name, endpoints, List.of(), Instant.EPOCH);
        listener.accept(current);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(Consumer<SourceSnapshot> listener) {
        this.listener = listener;
        listener.accept(current);
    }

    @Override
    public SourceSnapshot current() {
        return current;
    }

    @Override
    public void close() {
        listener = s -> {};
    }
}
