package dev.hsdo.store;

import org.slf4j.Logger;

/**
 * Who leads as one candidate last saw it, for a {@link LeaderElection} to report: it records every
 * observation and runs the election's callback only when this candidate's own leadership flips.
 */
public final class LeaderState {
    private final String candidate;
    private final Object scope;
    private final Logger log;
    private volatile boolean leader;
    private volatile String leaderId;
    private volatile Runnable onChange = () -> {};

    /** State of {@code candidate} campaigning for {@code scope} (named in the log lines of {@code log}). */
    public LeaderState(String candidate, Object scope, Logger log) {
        this.candidate = candidate;
        this.scope = scope;
        this.log = log;
    }

    /** Sets what runs when this candidate takes or loses leadership. */
    public void onChange(Runnable onChange) {
        this.onChange = onChange;
    }

    /**
     * Records what the store said: whether this candidate leads now, and who does (null: no one). Synchronized:
     * the election's thread and a publisher whose fenced write was refused both report here.
     */
    public synchronized void set(boolean nowLeader, String holder) {
        leaderId = holder;
        if (leader == nowLeader) return;
        leader = nowLeader;
        log.info("{} {} leadership of {}", candidate, nowLeader ? "took" : "lost", scope);
        onChange.run();
    }

    /** Marks this candidate as no longer leading without running the callback: it resigned on close. */
    public synchronized void resigned() {
        leader = false;
    }

    /** Whether this candidate leads, as last recorded. */
    public boolean isLeader() {
        return leader;
    }

    /** Who leads, as last recorded, or null when no one does. */
    public String leaderId() {
        return leaderId;
    }
}
