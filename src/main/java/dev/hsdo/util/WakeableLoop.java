package dev.hsdo.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A thread that runs one task every interval, and at once when woken. Wake-ups that arrive while the
 * task runs fold into one more run, so a burst of changes costs at most two runs.
 */
public final class WakeableLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WakeableLoop.class);

    private final LinkedBlockingQueue<Boolean> wakeups = new LinkedBlockingQueue<>();
    private final Runnable task;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean closed;

    /** Starts a daemon thread named {@code name} running {@code task}. */
    public WakeableLoop(String name, Duration interval, Runnable task) {
        this.task = task;
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Runs the task as soon as the current run, if any, ends. */
    public void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    private void run() {
        while (!closed) {
            try {
                wakeups.poll(intervalMillis, TimeUnit.MILLISECONDS);
                wakeups.clear();
                if (!closed) task.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("{} failed", thread.getName(), e);
            }
        }
    }

    /** Stops the loop and waits (bounded) for a running task to end. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
