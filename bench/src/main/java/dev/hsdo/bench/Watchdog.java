package dev.hsdo.bench;

import java.time.Duration;

/**
 * Bounds a benchmark in time: after the limit it interrupts the thread that armed it, which closes any
 * socket channel that thread is blocked on (channels are interruptible) and ends the run with an error.
 */
final class Watchdog implements AutoCloseable {
    private final Thread timer;

    private Watchdog(Thread timer) {
        this.timer = timer;
    }

    static Watchdog arm(Duration limit) {
        Thread guarded = Thread.currentThread();
        Thread timer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(limit);
                System.err.println("benchmark exceeded its time limit of " + limit + "; interrupting it");
                guarded.interrupt();
            } catch (InterruptedException disarmed) {
                // the benchmark finished in time
            }
        });
        return new Watchdog(timer);
    }

    @Override
    public void close() {
        timer.interrupt();
    }
}
