package dev.hsdo.haproxy;

import java.io.File;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and supervises one HAProxy in master-worker mode:
 * {@code setsid <binary> -W -S <master.sock> -f <haproxy.cfg> -p <pid file>} in the foreground, so that the
 * started process is the master.
 *
 * <p>HAProxy does not depend on hsdo: it runs in a session of its own (a Ctrl-C in hsdo's terminal, or a
 * signal to hsdo's process group, does not reach it), and writes its output to {@link RuntimePaths#outputFile}
 * rather than to a pipe, which {@link OutputTail} passes on to this class's logger while hsdo runs.
 * {@link #release} lets it run on when hsdo stops, and {@link #adopt} takes over the one a previous hsdo
 * left running in the same runtime directory; {@link #stop} stops it for good.
 *
 * <p>If the master exits while not being stopped (killed, or taken down by a dying worker: on 2.6 the
 * master exits when its worker dies), it is started again after a {@link Backoff#standard()} delay
 * (100 ms doubling to 10 s, reset after 30 s up), and every {@link Listener} is told once the new admin
 * socket answers, so the reconciler can restore the runtime state at once. An adopted master is watched
 * the same way.
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
    private static final int ERROR_OUTPUT_CHARS = 4000;
    private static final String SETSID = findSetsid();

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

    /** The running master: a process this object started ({@code child} set), or one it adopted. */
    private record Master(ProcessHandle handle, Process child) {
        long pid() {
            return handle.pid();
        }

        boolean isAlive() {
            return handle.isAlive();
        }

        CompletableFuture<?> onExit() {
            // A child's own future reaps it; a non-child's is completed by the JDK polling its pid.
            return child != null ? child.onExit() : handle.onExit();
        }

        boolean exitedWithin(Duration d) {
            try {
                onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException | ExecutionException e) {
                return !isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive();
            }
        }

        String exit() {
            if (child == null) return "(adopted: exit code unknown)";
            return child.isAlive() ? "(exit code not known yet)" : "with code " + child.exitValue();
        }
    }

    private final String binary;
    private final HaproxyConfigFile configFile;
    private final RuntimePaths paths;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final OutputTail output;

    private final ReentrantLock lock = new ReentrantLock();
    // Signalled by stop() and release() to cut a restart delay short.
    private final Condition stopRequested = lock.newCondition();
    // Guarded by lock: the fields below. master and generation are written under it only, and volatile so
    // that pid() and generation() answer even while a start or reload holds the lock.
    private final Backoff backoff;
    private final Set<ProcessHandle> workers = new HashSet<>();
    private volatile Master master;
    private Thread watcher;
    private boolean stopping;
    private volatile int generation;
    private volatile boolean adopted;

    /** A supervisor with a 10 s start timeout and a 10 s graceful stop. */
    public HaproxyProcess(String binary, RuntimePaths paths) {
        this(binary, paths, Duration.ofSeconds(10), Duration.ofSeconds(10), Backoff.standard());
    }

    /**
     * @param startTimeout how long a start (or an adoption) may take until the admin socket answers
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
        this.output = new OutputTail(paths.outputFile());
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
     * listeners (generation 1), then keeps it running until {@link #stop} or {@link #release}. Write the
     * config first ({@link #writeChecked}). After a failed start nothing runs and start may be called again.
     *
     * @throws HaproxyException      when HAProxy exits during start or its sockets do not answer in time; the
     *                               message carries what HAProxy printed
     * @throws IOException           when the binary cannot be run
     * @throws IllegalStateException when already started, adopted, stopped or released
     */
    public void start() throws IOException, HaproxyException {
        int started;
        lock.lock();
        try {
            if (master != null || stopping) throw new IllegalStateException("haproxy supervisor already started");
            output.follow(output.size());
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

    /**
     * Takes over the HAProxy a previous hsdo left running from these paths: its pid file names a live
     * process, and the master CLI answers {@code show proc} as that master with a worker, and the admin
     * socket answers. From then on it is supervised as if {@link #start} had started it (generation 1; the
     * listeners are not called: nothing was lost). The config file on disk is what it runs.
     *
     * @return true when adopted; false when no HAProxy of these paths runs (start one)
     * @throws HaproxyException      when an HAProxy of these paths seems to run but does not answer as one
     *                               within the start timeout: starting a second one beside it would serve
     *                               the same ports twice
     * @throws IllegalStateException when already started, adopted, stopped or released
     */
    public boolean adopt() throws HaproxyException {
        lock.lock();
        try {
            if (master != null || stopping) throw new IllegalStateException("haproxy supervisor already started");
            Optional<ProcessHandle> named = pidFileProcess();
            if (named.isEmpty()) return false;
            ProcessHandle h = named.get();
            if (!answersAsMaster(h)) return false;
            master = new Master(h, null);
            adopted = true;
            rememberWorkers();
            generation++;
            output.follow(output.size());
            watcher = Thread.ofVirtual().name("haproxy-supervisor").start(this::supervise);
            log.info("adopted running haproxy: master {}, workers {}, config {}", h.pid(),
                    workers.stream().map(ProcessHandle::pid).toList(), paths.configFile());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the running master was adopted rather than started by this object. */
    public boolean adopted() {
        return adopted;
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
        Master m;
        Set<ProcessHandle> known;
        lock.lock();
        try {
            stopping = true;
            stopRequested.signalAll();
            m = master;
            known = new HashSet<>(workers);
        } finally {
            lock.unlock();
        }
        if (m != null) {
            m.handle().descendants().forEach(known::add);
            if (m.isAlive()) stopMaster(m);
        }
        for (ProcessHandle worker : known) killWorker(worker);
        endSupervision();
    }

    /**
     * Stops supervising and leaves HAProxy serving, for the next hsdo to {@link #adopt}: what hsdo does
     * when it stops, unless told to stop HAProxy with it. Idempotent; no restart follows.
     */
    public void release() {
        Master m;
        lock.lock();
        try {
            if (stopping) return;
            stopping = true;
            stopRequested.signalAll();
            m = master;
        } finally {
            lock.unlock();
        }
        endSupervision();
        if (m != null && m.isAlive())
            log.info("haproxy master {} keeps running; the next hsdo started on {} adopts it", m.pid(), paths.runtimeDir());
    }

    /** Same as {@link #stop}. */
    @Override
    public void close() {
        stop();
    }

    /** The master's pid, or -1 when it is not running. */
    public long pid() {
        Master m = master;
        return m != null && m.isAlive() ? m.pid() : -1;
    }

    /**
     * The current worker's pid, read from {@code show proc} on the master CLI.
     *
     * @throws IOException when the master CLI does not answer
     */
    public long workerPid() throws IOException {
        return procStatus().currentWorker();
    }

    /** How many times HAProxy was started (or adopted): 0 before, 1 after it, one more per restart. */
    public int generation() {
        return generation;
    }

    // Ends the supervisor thread (interrupting its wait for a master that may keep running) and the output tail.
    private void endSupervision() {
        Thread w;
        lock.lock();
        try {
            w = watcher;
        } finally {
            lock.unlock();
        }
        // A listener may call stop() from the supervisor thread itself, which then ends on its own.
        if (w != null && w != Thread.currentThread()) {
            w.interrupt();
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        output.close();
    }

    // Restarts the master whenever it exits unless stopping; runs on its own virtual thread.
    private void supervise() {
        while (true) {
            Master m;
            lock.lock();
            try {
                if (stopping) return;
                m = master;
            } finally {
                lock.unlock();
            }
            try {
                m.onExit().get();
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException e) {
                log.warn("waiting for haproxy master {} failed: {}", m.pid(), e.getMessage());
            }
            int started;
            lock.lock();
            try {
                if (stopping) return;
                Duration delay = backoff.nextDelay();
                log.warn("haproxy master {} exited {}; restarting in {} ms", m.pid(), m.exit(), delay.toMillis());
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
        long outputFrom = output.size();
        Process p = new ProcessBuilder(command())
                .directory(paths.runtimeDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.outputFile().toFile()))
                .start();
        Master m = new Master(p.toHandle(), p);
        master = m;
        adopted = false;
        try {
            awaitReady(m, startTimeout);
        } catch (HaproxyException e) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            m.exitedWithin(KILL_WAIT);
            String printed = output.since(outputFrom, ERROR_OUTPUT_CHARS);
            throw new HaproxyException(e.getMessage() + (printed.isEmpty() ? "" : "; haproxy printed:\n" + printed));
        }
        rememberWorkers();
        backoff.started();
        generation++;
        log.info("haproxy started: master {}, workers {}, generation {}", p.pid(),
                workers.stream().map(ProcessHandle::pid).toList(), generation);
        return generation;
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        // setsid puts HAProxy in a session of its own. A child of the JVM never leads a process group, so
        // setsid execs in place and the started process is HAProxy's master itself.
        if (SETSID != null) cmd.add(SETSID);
        cmd.addAll(List.of(binary, "-W", "-S", paths.masterSocket().toString(), "-f", paths.configFile().toString(),
                "-p", paths.pidFile().toString()));
        return cmd;
    }

    private static String findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            File f = new File(dir, "setsid");
            if (f.canExecute()) return f.getPath();
        }
        log.warn("setsid (util-linux) not found: HAProxy runs in hsdo's process group, and a Ctrl-C meant for "
                + "hsdo reaches it too");
        return null;
    }

    // Accepting connections proves nothing: the master binds the admin socket before it forks the worker that
    // serves it, and right after start the master CLI may reset connections for a moment. Ready means both
    // sockets answer a command and show proc names a worker of this master.
    private void awaitReady(Master m, Duration timeout) throws HaproxyException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String problem = "no answer yet";
        while (true) {
            try {
                ProcStatus status = procStatus();
                if (status.masterPid() == m.pid() && status.currentWorker() > 0) {
                    UnixCli.send(paths.adminSocket(), "show info", CLI_TIMEOUT);
                    return;
                }
                problem = status.masterPid() != m.pid()
                        ? "the master CLI answers as master " + status.masterPid() + ", not " + m.pid()
                        : "show proc lists no worker of master " + m.pid() + " yet";
            } catch (IOException e) {
                problem = e.getMessage();
            }
            if (m.exitedWithin(Duration.ofMillis(10)))
                throw new HaproxyException("haproxy " + m.pid() + " exited " + m.exit() + " while starting from "
                        + paths.configFile());
            if (System.nanoTime() - deadline > 0)
                throw new HaproxyException("haproxy " + m.pid() + " did not answer on " + paths.masterSocket() + " and "
                        + paths.adminSocket() + " within " + timeout + ": " + problem);
        }
    }

    // The live process the pid file names, if any.
    private Optional<ProcessHandle> pidFileProcess() {
        String text;
        try {
            text = Files.readString(paths.pidFile()).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read {}: {}; starting a new haproxy", paths.pidFile(), e.getMessage());
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            log.warn("{} holds {} rather than a pid; starting a new haproxy", paths.pidFile(), text);
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    // Lock held. Whether h is the master of these paths, waiting up to the start timeout for one that is
    // busy (its master CLI is away for a moment while it reloads).
    private boolean answersAsMaster(ProcessHandle h) throws HaproxyException {
        if (!runsFromTheseFiles(h)) {
            log.info("{} names pid {}, which is not an haproxy of {}: starting a new one", paths.pidFile(), h.pid(),
                    paths.configFile());
            return false;
        }
        awaitReady(new Master(h, null), startTimeout);
        return true;
    }

    // A pid file outlives its process, and the pid may be taken by another since: only a process started
    // from this config file counts. HAProxy keeps its arguments when it re-executes itself on reload.
    private boolean runsFromTheseFiles(ProcessHandle h) {
        Optional<String[]> args = h.info().arguments();
        if (args.isPresent()) return Arrays.asList(args.get()).contains(paths.configFile().toString());
        // Arguments hidden (another user's process): believe the master CLI.
        try {
            return procStatus().masterPid() == h.pid();
        } catch (IOException e) {
            return false;
        }
    }

    // Lock held.
    private void rememberWorkers() {
        workers.removeIf(h -> !h.isAlive());
        if (master != null) master.handle().descendants().forEach(workers::add);
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
        Master m = master;
        if (stopping || m == null || !m.isAlive())
            throw new IllegalStateException("haproxy is not running");
    }

    private void stopMaster(Master m) {
        try {
            // The master passes SIGUSR1 on to its workers as a soft stop and exits once they are done.
            Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(m.pid())).start();
            HaproxyConfigFile.waitFor(kill, KILL_WAIT);
        } catch (IOException e) {
            log.warn("could not soft-stop haproxy {}: {}", m.pid(), e.getMessage());
        }
        if (m.exitedWithin(stopGrace)) return;
        log.warn("haproxy {} still running {} after soft stop; terminating", m.pid(), stopGrace);
        m.handle().destroy();
        if (m.exitedWithin(KILL_WAIT)) return;
        m.handle().destroyForcibly();
        m.exitedWithin(KILL_WAIT);
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

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
