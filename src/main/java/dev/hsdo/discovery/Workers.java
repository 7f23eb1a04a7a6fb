package dev.hsdo.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one source and the signal that stops them: each waits with {@link #awaitClose} instead of
 * sleeping, so {@link #close} ends every wait at once, then interrupts what is blocked elsewhere and joins
 * each thread (bounded).
 */
public final class Workers {
    private static final long JOIN_MILLIS = 2000;

    private final CountDownLatch closing = new CountDownLatch(1);
    /** Guarded by this. */
    private final List<Thread> threads = new ArrayList<>();

    /** Starts a daemon thread named {@code name} running {@code task}; nothing once closed. */
    public synchronized void start(String name, Runnable task) {
        if (isClosed()) return;
        threads.add(Thread.ofPlatform().daemon().name(name).start(task));
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closing.getCount() == 0;
    }

    /** Waits up to {@code d} (not at all when zero); true when closed meanwhile. */
    public boolean awaitClose(Duration d) throws InterruptedException {
        return closing.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends every wait, interrupts the threads and waits (bounded) for each to end. */
    public void close() {
        List<Thread> running;
        synchronized (this) {
            closing.countDown();
            running = List.copyOf(threads);
        }
        running.forEach(Thread::interrupt);
        for (Thread t : running) {
            if (t == Thread.currentThread()) continue;
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
