package dev.hsdo.agent;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.haproxy.ServerStateRow;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.util.WakeableLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Keeps one HAProxy on the desired plan. Level-triggered: every round reads what HAProxy reports, sends
 * only the difference, and reads back to verify, so drift (a manual change, a restart) is repaired on
 * the next round whatever caused it. Rounds run on a plan change, on a wake-up (HAProxy restarted) and
 * every reconcile interval.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final HsdoConfig config;
    private final RuntimeApi api;
    private final ConfigTarget target;
    private final RuntimePaths paths;
    private final Clock clock;
    private final AgentMetrics metrics;
    private final AtomicReference<Plan> desired = new AtomicReference<>();
    private final Object roundLock = new Object();
    // guarded by roundLock: the config text last written, and the part of it (without servers) HAProxy runs
    private String written;
    private String runningSkeleton;
    private volatile AgentStatus status = new AgentStatus(0, 0, null, false, List.of(), List.of());
    private volatile WakeableLoop loop;
    private volatile Runnable onStatusChange = () -> {};

    /**
     * @param runningConfig the config text HAProxy was started with (its servers may differ), or null when
     *                      hsdo does not write the config ({@code target} null)
     */
    public Agent(HsdoConfig config, RuntimeApi api, ConfigTarget target, RuntimePaths paths, String runningConfig,
                 Clock clock, AgentMetrics metrics) {
        this.config = Objects.requireNonNull(config);
        this.api = Objects.requireNonNull(api);
        this.target = target;
        this.paths = paths;
        this.clock = clock;
        this.metrics = metrics;
        this.written = runningConfig;
        this.runningSkeleton = runningConfig == null ? null : ConfigRenderer.skeleton(runningConfig);
    }

    /** Hands the agent a new desired plan and starts a round at once. */
    public void offer(Plan plan) {
        Plan prev = desired.getAndAccumulate(plan, (old, neu) -> old != null && old.generation() > neu.generation() ? old : neu);
        if (prev == null || prev.generation() != plan.generation()) wake();
    }

    /** Starts a round at once (HAProxy restarted, an operator asked). */
    public void wake() {
        WakeableLoop l = loop;
        if (l != null) l.wake();
    }

    /** Called when HAProxy was (re)started from the config file last written. */
    public void haproxyRestarted() {
        synchronized (roundLock) {
            if (written != null) runningSkeleton = ConfigRenderer.skeleton(written);
        }
        wake();
    }

    /** Runs {@code listener} on the agent's thread after every round whose status differs from the one before. */
    public void onStatusChange(Runnable listener) {
        this.onStatusChange = listener;
    }

    /** The plan the agent works towards, or null before the first. */
    public Plan desired() {
        return desired.get();
    }

    /** The latest status. */
    public AgentStatus status() {
        return status;
    }

    /** Starts the loop thread. */
    public void start() {
        loop = new WakeableLoop("hsdo-agent", config.reconcileInterval(), this::reconcileOnce);
        loop.wake();
    }

    /** Runs one round now and returns the status it ended with. */
    public AgentStatus reconcileOnce() {
        Plan plan = desired.get();
        if (plan == null) return status;
        synchronized (roundLock) {
            long start = System.nanoTime();
            List<String> errors = new ArrayList<>();
            List<String> pending = List.of();
            boolean reachable = true;
            try {
                writeConfig(plan);
                Map<String, List<ServerStateRow>> observed = observe();
                List<String> commands = commands(plan, observed, backups());
                if (!commands.isEmpty()) {
                    List<Reply> replies = api.execute(commands);
                    metrics.commandsSent(replies.size());
                    for (Reply r : replies) {
                        if (r.ok()) continue;
                        // A server with sessions left cannot be deleted yet: the next round tries again.
                        if (r.error().contains("still has connections")) continue;
                        errors.add(r.command() + ": " + r.error());
                    }
                    metrics.commandsFailed(errors.size());
                    observed = observe();
                    pending = commands(plan, observed, backups());
                }
                metrics.servers(observed);
            } catch (RuntimeApiException e) {
                reachable = false;
                errors.add("haproxy runtime API: " + e.getMessage());
            } catch (IOException | IllegalStateException e) {
                errors.add("haproxy config: " + e.getMessage());
            }
            boolean applied = reachable && pending.isEmpty() && errors.isEmpty();
            AgentStatus before = status;
            status = new AgentStatus(plan.generation(),
                    applied ? plan.generation() : before.appliedGeneration(),
                    applied ? (before.appliedGeneration() == plan.generation() && before.appliedAt() != null
                            ? before.appliedAt() : clock.instant()) : before.appliedAt(),
                    reachable, errors, pending);
            metrics.applied(status, System.nanoTime() - start);
            if (!errors.isEmpty() && !errors.equals(before.lastErrors())) log.warn("plan {}: {}", plan.generation(), errors);
            if (applied && before.appliedGeneration() != plan.generation())
                log.info("plan {} applied ({} ms)", plan.generation(), (System.nanoTime() - start) / 1_000_000);
            if (!status.equals(before)) onStatusChange.run();
            return status;
        }
    }

    // Writes the config before any runtime change, so a reload or restart starts from the new plan; reloads
    // only when something besides the servers changed.
    private void writeConfig(Plan plan) throws IOException {
        if (target == null) return;
        String text = ConfigRenderer.render(config, plan, paths);
        if (!text.equals(written)) {
            target.writeChecked(text);
            written = text;
        }
        String skeleton = ConfigRenderer.skeleton(text);
        if (!skeleton.equals(runningSkeleton)) {
            log.info("configuration beyond servers changed: reloading HAProxy");
            target.reload();
            runningSkeleton = skeleton;
        }
    }

    private Map<String, List<ServerStateRow>> observe() throws RuntimeApiException {
        return api.showServersState().stream()
                .collect(Collectors.groupingBy(ServerStateRow::backendName));
    }

    /** Backend → the names of its servers HAProxy reports as backup: {@code show servers state} does not say. */
    private Map<String, Set<String>> backups() throws RuntimeApiException {
        Map<String, Set<String>> backups = new HashMap<>();
        for (StatRow r : api.showStat())
            if (r.isServer() && "1".equals(r.field("bck"))) backups.computeIfAbsent(r.proxy(), k -> new HashSet<>()).add(r.service());
        return backups;
    }

    private List<String> commands(Plan plan, Map<String, List<ServerStateRow>> observed, Map<String, Set<String>> backups) {
        List<String> commands = new ArrayList<>();
        for (BackendConfig be : config.backends()) {
            BackendPlan bp = plan.backend(be.name());
            if (bp != null) commands.addAll(Diff.commands(bp, observed.getOrDefault(be.name(), List.of()),
                    backups.getOrDefault(be.name(), Set.of())));
        }
        return commands;
    }

    @Override
    public void close() {
        if (loop != null) loop.close();
    }
}
