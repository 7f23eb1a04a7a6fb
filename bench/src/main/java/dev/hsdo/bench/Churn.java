package dev.hsdo.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * Changes the servers file now and then for the whole run and measures convergence: from the moment the new
 * file is in place to the moment the last agent's HAProxy serves exactly the new set (read with
 * {@code show servers state}). Each change adds or removes one of the optional servers; the base servers
 * always stay. One change at a time, a random 1–3 s apart; {@link #pause} stops it for a burst or a checkpoint.
 */
final class Churn implements AutoCloseable {
    static final String BACKEND = "files";
    static final long POLL_MS = 20;

    /**
     * One change: the slot it was made in, whether a fault was being injected at any time while it was measured, and
     * its convergence time (-1: timed out).
     */
    record Sample(int slot, boolean duringFault, double ms) {}

    private final Path file;
    private final List<Integer> base;
    private final List<Integer> optional;
    private final List<HsdoProc> agents;
    private final long boundMs;
    private final IntSupplier slot;
    private final Random random = new Random(7);
    private final List<Sample> samples = new ArrayList<>();
    private final Set<Integer> current = new TreeSet<>();
    private final Thread thread;
    private volatile boolean duringFault;
    private volatile int faultsBegun;
    // Guarded by this: whether changes may run, and whether one is being measured.
    private boolean paused;
    private boolean measuring;
    private volatile boolean running = true;

    Churn(Path file, List<Integer> base, List<Integer> optional, List<HsdoProc> agents, long boundMs, IntSupplier slot) throws IOException {
        this.file = file;
        this.base = base;
        this.optional = optional;
        this.agents = agents;
        this.boundMs = boundMs;
        this.slot = slot;
        current.addAll(base);
        current.addAll(optional.subList(0, optional.size() / 2));
        write(current);
        this.thread = Thread.ofVirtual().name("churn").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Marks the changes from now on as made during a fault (true) or outside one. */
    void duringFault(boolean during) {
        if (during) faultsBegun++; // only the orchestrating thread calls this
        duringFault = during;
    }

    /** The set of ports the file lists now. */
    synchronized Set<Integer> expected() {
        return Set.copyOf(current);
    }

    /** Stops making changes and waits for the one being measured to end. */
    synchronized void pause() throws InterruptedException {
        paused = true;
        while (measuring) wait();
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Writes one random change; the caller holds the pause. Returns the new set. */
    synchronized Set<Integer> changeOnce() throws IOException {
        int p = optional.get(random.nextInt(optional.size()));
        if (!current.remove(p)) current.add(p);
        write(current);
        return Set.copyOf(current);
    }

    /**
     * Waits until every agent serves {@code want} from backend {@code backend}; returns the milliseconds since
     * {@code t0} (nanoTime), or -1 after {@code boundMs}.
     */
    static double awaitServing(List<HsdoProc> agents, String backend, Set<Integer> want, long t0, long boundMs)
            throws InterruptedException {
        boolean[] done = new boolean[agents.size()];
        int left = agents.size();
        while (left > 0) {
            for (int i = 0; i < agents.size(); i++) {
                if (done[i]) continue;
                if (want.equals(agents.get(i).serving(backend))) {
                    done[i] = true;
                    left--;
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (left == 0) return ms;
            if (ms > boundMs) return -1;
            Thread.sleep(POLL_MS);
        }
        return 0;
    }

    private void loop() {
        try {
            while (running) {
                Set<Integer> want;
                int s;
                boolean fault;
                int begun;
                long t0;
                synchronized (this) {
                    while (paused && running) wait();
                    if (!running) return;
                    measuring = true;
                    want = changeOnce();
                    t0 = System.nanoTime();
                    s = slot.getAsInt();
                    fault = duringFault;
                    begun = faultsBegun;
                }
                double ms;
                try {
                    ms = awaitServing(agents, BACKEND, want, t0, boundMs);
                } finally {
                    synchronized (this) {
                        measuring = false;
                        notifyAll();
                    }
                }
                fault |= duringFault || faultsBegun != begun;
                synchronized (this) {
                    samples.add(new Sample(s, fault, ms));
                }
                Thread.sleep(1000 + random.nextInt(2000));
            }
        } catch (InterruptedException e) {
            // closing
        } catch (IOException e) {
            System.out.println("churn stopped: cannot write " + file + ": " + e.getMessage());
        }
    }

    private void write(Set<Integer> ports) throws IOException {
        ConvergenceBench.writeServers(file, List.copyOf(ports));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        thread.interrupt();
        thread.join(10_000);
    }
}
