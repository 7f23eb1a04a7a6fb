package dev.hsdo.haproxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and supervises one HAProxy in master-worker mode:
 * {@code <binary> -W -S <master.sock> -f <haproxy.cfg> -p <pid file>} as a child in the foreground, so that
 * the {@link Process} is the master. HAProxy's output goes to this class's logger.
 *
 * <p>If the master exits while not being stopped (killed, or taken down by a dying worker: on 2.6 the
 * master exits when its worker dies), it is started again after a {@link Backoff#standard()} delay
 * (100 ms doubling to 10 s, reset after 30 s up), and every {@link Listener} is told once the new admin
 * socket answers, so the reconciler can restore the runtime state at once.
 *
 * <p>The config file is written only through {@link #writeConfig} (atomic) or {@link #writeChecked}
 * (checked with {@code haproxy -c}, then atomic), and {@link #reload} checks the file again before it asks
 * the master to reload: a broken config never reaches the running process. Every method is thread-safe.
 */
public final class HaproxyProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HaproxyProcess.class);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(2);

    /** Told after every start and restart of HAProxy. */
    @FunctionalInterface
    public interface Listener {
        /**
         * HAProxy (re)started from the config file and its admin socket answers. Called on the supervisor's
         * thread; runtime changes made before this start are lost, so restore them here.
         *
         * @param generation 1 for the first start, one more for every restart
         */
        void onStarted(int generation);
    }

    private final String binary;
    private final HaproxyConfigFile configFile;
    private final RuntimePaths paths;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    // Signalled by stop() to cut a restart delay short.
    private final Condition stopRequested = lock.newCondition();
    // Guarded by lock: the fields below. master and generation are written under it only, and volatile so
    // that pid() and generation() answer even while a start or reload holds the lock.
    private final Backoff backoff;
    private final Set<ProcessHandle> workers = new HashSet<>();
    private volatile Process master;
    private Thread watcher;
    private boolean stopping;
    private volatile int generation;

    /** A supervisor with a 10 s start timeout and a 10 s graceful stop. */
    public HaproxyProcess(String binary, RuntimePaths paths) {
        this(binary, paths, Duration.ofSeconds(10), Duration.ofSeconds(10), Backoff.standard());
    }

    /**
     * @param startTimeout how long a start may take until the admin socket answers
     * @param stopGrace    how long {@link #stop} lets the soft-stopped HAProxy finish its connections
     * @param backoff      restart delays
     */
    public HaproxyProcess(String binary, RuntimePaths paths, Duration startTimeout, Duration stopGrace, Backoff backoff) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.configFile = new HaproxyConfigFile(binary, paths.configFile());
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
        this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** The files this HAProxy uses. */
    public RuntimePaths paths() {
        return paths;
    }

    /** Registers a listener for (re)starts; add it before {@link #start} to hear about the first one. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts HAProxy from the config file, waits until its admin socket and master CLI answer, tells the
     * listeners (generation 1), then keeps it running until {@link #stop}. Write the config first
     * ({@link #writeChecked}). After a failed start nothing runs and start may be called again.
     *
     * @throws HaproxyException      when HAProxy exits during start or its sockets do not answer in time
     * @throws IOException           when the binary cannot be run
     * @throws IllegalStateException when called twice
     */
    public void start() throws IOException, HaproxyException {
        int started;
        lock.lock();
        try {
            if (master != null || stopping) throw new IllegalStateException("haproxy supervisor already started");
            try {
                started = launch();
            } catch (IOException | HaproxyException e) {
                master = null; // nothing runs: the caller may fix the config and start again
                throw e;
            }
            watcher = Thread.ofVirtual().name("haproxy-supervisor").start(this::supervise);
        } finally {
            lock.unlock();
        }
        notifyStarted(started);
    }

    /** Runs {@code <binary> -c -f <cfg>}; see {@link HaproxyConfigFile#check(String, Path)}. */
    public static HaproxyConfigFile.CheckResult check(String binary, Path cfg) throws IOException {
        return HaproxyConfigFile.check(binary, cfg);
    }

    /** Replaces the config file atomically, without checking it. Prefer {@link #writeChecked}. */
    public void writeConfig(String text) throws IOException {
        configFile.write(text);
    }

    /**
     * Checks {@code text} with {@code haproxy -c} and only then replaces the config file atomically.
     *
     * @throws HaproxyException when HAProxy rejects the config; the old file stays
     */
    public void writeChecked(String text) throws IOException, HaproxyException {
        configFile.writeChecked(text);
    }

    /**
     * Hitless reload through the master CLI, after checking the config file: the master re-reads the file
     * and starts a new worker, the old one finishes its connections (up to {@code hard-stop-after}).
     * Returns once {@code show proc} counts the reload and names a new worker. Listeners are not called: the
     * caller knows, and must restore runtime state that the file does not carry.
     *
     * @throws HaproxyException      when the config fails the check (the running process is not touched), or
     *                               HAProxy reports the reload as failed (the old worker keeps serving)
     * @throws IllegalStateException when HAProxy is not running (not started, stopped, or between restarts)
     */
    public void reload() throws IOException, HaproxyException {
        lock.lock();
        try {
            requireRunning();
            HaproxyConfigFile.CheckResult result = configFile.check();
            if (!result.ok())
                throw new HaproxyException("refusing to reload: haproxy -c rejects " + paths.configFile() + ":\n"
                        + result.output());
            ProcStatus before = procStatus();
            try {
                // 2.6 answers nothing to "reload": the master re-executes itself and the connection just ends.
                UnixCli.send(paths.masterSocket(), "reload", CLI_TIMEOUT);
            } catch (SocketTimeoutException e) {
                log.debug("no end of answer to reload; confirming through show proc");
            }
            ProcStatus after = awaitReloadCounted(before);
            if (after.failedReloads() > before.failedReloads())
                throw new HaproxyException("haproxy reports the reload as failed (reloads " + after.reloads()
                        + ", failed " + after.failedReloads() + "); worker " + after.currentWorker()
                        + " keeps serving the previous config; see haproxy's log lines above");
            if (after.currentWorker() == before.currentWorker() || after.currentWorker() < 0)
                throw new HaproxyException("reload counted but no new worker: show proc lists " + after.workers());
            rememberWorkers();
            log.info("haproxy reloaded: worker {} replaced {} (reloads {}, failed {})", after.currentWorker(),
                    before.currentWorker(), after.reloads(), after.failedReloads());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops HAProxy for good: soft stop (SIGUSR1: stop listening, finish connections) for up to the grace
     * period, then SIGTERM, then SIGKILL; the workers too. Idempotent; no restart follows.
     */
    public void stop() {
        Process p;
        Thread w;
        Set<ProcessHandle> known;
        lock.lock();
        try {
            stopping = true;
            stopRequested.signalAll();
            p = master;
            w = watcher;
            known = new HashSet<>(workers);
        } finally {
            lock.unlock();
        }
        if (p != null) {
            p.descendants().forEach(known::add);
            if (p.isAlive()) stopMaster(p);
        }
        for (ProcessHandle worker : known) killWorker(worker);
        // A listener may call stop() from the supervisor thread itself, which then ends on its own.
        if (w != null && w != Thread.currentThread()) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Same as {@link #stop}. */
    @Override
    public void close() {
        stop();
    }

    /** The master's pid, or -1 when it is not running. */
    public long pid() {
        Process p = master;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /**
     * The current worker's pid, read from {@code show proc} on the master CLI.
     *
     * @throws IOException when the master CLI does not answer
     */
    public long workerPid() throws IOException {
        return procStatus().currentWorker();
    }

    /** How many times HAProxy was started: 0 before {@link #start}, 1 after it, one more per restart. */
    public int generation() {
        return generation;
    }

    // Restarts the master whenever it exits unless stopping; runs on its own virtual thread.
    private void supervise() {
        while (true) {
            Process p;
            lock.lock();
            try {
                p = master;
            } finally {
                lock.unlock();
            }
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                return;
            }
            int started;
            lock.lock();
            try {
                if (stopping) return;
                Duration delay = backoff.nextDelay();
                log.warn("haproxy master {} exited with code {}; restarting in {} ms", p.pid(), p.exitValue(),
                        delay.toMillis());
                long left = delay.toNanos();
                while (!stopping && left > 0) left = stopRequested.awaitNanos(left);
                if (stopping) return;
                started = launch();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | HaproxyException e) {
                log.error("haproxy restart failed: {}", e.getMessage());
                continue;
            } finally {
                lock.unlock();
            }
            notifyStarted(started);
        }
    }

    // Lock held. Starts a master and returns its generation once it answers.
    private int launch() throws IOException, HaproxyException {
        // Workers of a master that was killed exit by themselves; make sure, and keep them off the socket paths.
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        workers.clear();
        Files.deleteIfExists(paths.adminSocket());
        Files.deleteIfExists(paths.masterSocket());
        Process p = new ProcessBuilder(binary, "-W", "-S", paths.masterSocket().toString(),
                "-f", paths.configFile().toString(), "-p", paths.pidFile().toString())
                .directory(paths.runtimeDir().toFile())
                .redirectErrorStream(true)
                .start();
        master = p;
        Thread.ofVirtual().name("haproxy-output-" + p.pid()).start(() -> pipeOutput(p));
        try {
            awaitReady(p);
        } catch (HaproxyException e) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            throw e;
        }
        rememberWorkers();
        backoff.started();
        generation++;
        log.info("haproxy started: master {}, workers {}, generation {}", p.pid(),
                workers.stream().map(ProcessHandle::pid).toList(), generation);
        return generation;
    }

    // Accepting connections proves nothing: the master binds the admin socket before it forks the worker that
    // serves it, and right after start the master CLI may reset connections for a moment. Ready means both
    // sockets answer a command and show proc names a worker of this master.
    private void awaitReady(Process p) throws HaproxyException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        String problem = "no answer yet";
        while (true) {
            try {
                ProcStatus status = procStatus();
                if (status.masterPid() == p.pid() && status.currentWorker() > 0) {
                    UnixCli.send(paths.adminSocket(), "show info", CLI_TIMEOUT);
                    return;
                }
                problem = "show proc lists no worker of master " + p.pid() + " yet";
            } catch (IOException e) {
                problem = e.getMessage();
            }
            if (waitFor(p, Duration.ofMillis(10)))
                throw new HaproxyException("haproxy exited with code " + p.exitValue() + " while starting from "
                        + paths.configFile() + "; its messages are in the log");
            if (System.nanoTime() - deadline > 0)
                throw new HaproxyException("haproxy did not answer on " + paths.masterSocket() + " and "
                        + paths.adminSocket() + " within " + startTimeout + ": " + problem);
        }
    }

    // Lock held.
    private void rememberWorkers() {
        workers.removeIf(h -> !h.isAlive());
        if (master != null) master.descendants().forEach(workers::add);
    }

    private void notifyStarted(int started) {
        for (Listener l : listeners) {
            try {
                l.onStarted(started);
            } catch (RuntimeException e) {
                log.error("listener {} failed on haproxy start {}", l, started, e);
            }
        }
    }

    private ProcStatus awaitReloadCounted(ProcStatus before) throws IOException, HaproxyException {
        long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                ProcStatus now = procStatus();
                if (now.reloads() > before.reloads()) return now;
            } catch (IOException e) {
                last = e; // the master CLI is briefly away while the master re-executes itself
            }
            pause(Duration.ofMillis(20));
        }
        throw new HaproxyException("haproxy did not count the reload within " + RELOAD_TIMEOUT
                + (last != null ? "; master CLI: " + last.getMessage() : ""));
    }

    private ProcStatus procStatus() throws IOException {
        String text = UnixCli.send(paths.masterSocket(), "show proc", CLI_TIMEOUT);
        try {
            return ProcStatus.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(paths.masterSocket() + ": " + e.getMessage(), e);
        }
    }

    private void requireRunning() {
        if (stopping || master == null || !master.isAlive())
            throw new IllegalStateException("haproxy is not running");
    }

    private void stopMaster(Process p) {
        try {
            // The master passes SIGUSR1 on to its workers as a soft stop and exits once they are done.
            Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start();
            waitFor(kill, KILL_WAIT);
        } catch (IOException e) {
            log.warn("could not soft-stop haproxy {}: {}", p.pid(), e.getMessage());
        }
        if (waitFor(p, stopGrace)) return;
        log.warn("haproxy {} still running {} after soft stop; terminating", p.pid(), stopGrace);
        p.destroy();
        if (waitFor(p, KILL_WAIT)) return;
        p.destroyForcibly();
        waitFor(p, KILL_WAIT);
    }

    private static void killWorker(ProcessHandle worker) {
        if (!worker.isAlive()) return;
        worker.destroy();
        if (awaitExit(worker)) return;
        worker.destroyForcibly();
        if (!awaitExit(worker)) log.error("haproxy worker {} did not exit", worker.pid());
    }

    private static boolean awaitExit(ProcessHandle h) {
        try {
            h.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !h.isAlive();
        }
    }

    private static void pipeOutput(Process p) {
        try (BufferedReader lines = p.inputReader(StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("[ALERT]")) log.error("haproxy: {}", line);
                else if (line.startsWith("[WARNING]")) log.warn("haproxy: {}", line);
                else log.info("haproxy: {}", line);
            }
        } catch (IOException e) {
            log.debug("haproxy {} output closed: {}", p.pid(), e.getMessage());
        }
    }

    private static boolean waitFor(Process p, Duration d) {
        return HaproxyConfigFile.waitFor(p, d);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
