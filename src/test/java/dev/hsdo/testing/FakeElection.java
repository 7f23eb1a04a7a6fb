package dev.hsdo.testing;

import dev.hsdo.store.LeaderElection;

/** An election the test decides: {@link #win()} and {@link #lose()} flip leadership and notify. */
public final class FakeElection implements LeaderElection {
    private final String id;
    private volatile boolean leader;
    private volatile Runnable onChange = () -> {};

    public FakeElection(String id) {
        this.id = id;
    }

    @Override
    public void start(Runnable onChange) {
        this.onChange = onChange;
    }

    /** This candidate leads from now on. */
    public void win() {
        leader = true;
        onChange.run();
    }

    /** This candidate no longer leads. */
    public void lose() {
        leader = false;
        onChange.run();
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public dev.hsdo.store.Fence fence() {
        return leader ? new dev.hsdo.store.Fence(id, 1) : null;
    }

    @Override
    public void lost(dev.hsdo.store.Fence fence) {
        lose();
    }

    @Override
    public String leaderId() {
        return leader ? id : null;
    }

    @Override
    public void close() {
        leader = false;
    }
}
