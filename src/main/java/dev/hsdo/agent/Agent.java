package dev.hsdo.agent;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.util.WakeableLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps one HAProxy on the desired plan. Level-triggered: every round reads what HAProxy reports, sends
 * only the difference, and reads back to verify, so drift (a manual change, a restart) is repaired on
 * the next round whatever caused it. Rounds run on a plan change, on a wake-up (HAProxy restarted) and
 * every reconcile interval.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** Passes of one round: enough for remove-then-add, bounded so that no round can loop. */
    private static final int MAX_PASSES = 3;

    private final HsdoConfig config;
    private final RuntimeApi api;
    private final ConfigTarget target;
    private final RuntimePaths paths;
    private final Clock clock;
    private final AgentMetrics metrics;
    private final AtomicReference<Plan> desired = new AtomicReference<>();
    private final Object roundLock = new Object();
    // guarded by roundLock: the config text last written, the part of it (without servers) HAProxy runs, and
    // the part of the text last checked with haproxy -c
    private String written;
    private String runningSkeleton;
    private String checkedSkeleton;
    // guarded by roundLock: the plan last rendered (its generation and digest decide the text) and what it gave,
    // so that an unchanged tick, the common case, renders nothing
    private Plan renderedPlan;
    private String renderedText;
    private String renderedSkeleton;
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
        this.checkedSkeleton = runningSkeleton;
    }

    /** Hands the agent a new desired plan and starts a round at once. */
    public void offer(Plan plan) {
        Plan prev = desired.getAndAccumulate(plan, (old, neu) -> neu.supersedes(old) ? neu : old);
        if (plan.supersedes(prev)) wake();
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
        Plan published = desired.get();
        if (published == null) return status;
        Plan plan = ZoneView.of(published, config, config.fleet().zone());
        synchronized (roundLock) {
            long start = System.nanoTime();
            List<String> errors = new ArrayList<>();
            List<String> pending = List.of();
            boolean reachable = true;
            try {
                writeConfig(plan);
                Observed observed = Observed.read(api);
                List<String> commands = commands(plan, observed, errors);
                // Some changes take two steps (a server removed, then added anew): while a pass makes
                // progress without errors, the next pass follows at once rather than a round later.
                for (int pass = 0; !commands.isEmpty() && pass < MAX_PASSES; pass++) {
                    List<Reply> replies = api.execute(commands);
                    metrics.commandsSent(replies.size());
                    int failed = 0;
                    for (Reply r : replies) {
                        if (r.ok()) continue;
                        // A server with sessions left cannot be deleted yet: the next round tries again.
                        if (r.error().contains("still has connections")) continue;
                        errors.add(r.command() + ": " + r.error());
                        failed++;
                    }
                    metrics.commandsFailed(failed);
                    observed = Observed.read(api);
                    pending = commands(plan, observed);
                    if (failed > 0 || pending.equals(commands)) break;
                    commands = pending;
                }
                metrics.servers(observed.rows());
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

    // Writes the config before any runtime change, so a reload or restart starts from the new plan; checks it
    // with haproxy -c unless only server lines changed since the last check; reloads only when something
    // besides the servers changed.
    private void writeConfig(Plan plan) throws IOException {
        if (target == null) return;
        if (renderedPlan == null || renderedPlan.generation() != plan.generation() || !plan.sameContent(renderedPlan)) {
            renderedText = ConfigRenderer.render(config, plan, paths);
            renderedSkeleton = ConfigRenderer.skeleton(renderedText);
            renderedPlan = plan;
        }
        String text = renderedText;
        String skeleton = renderedSkeleton;
        if (!text.equals(written)) {
            if (skeleton.equals(checkedSkeleton)) {
                target.write(text);
            } else {
                target.writeChecked(text);
                checkedSkeleton = skeleton;
            }
            written = text;
        }
        if (!skeleton.equals(runningSkeleton)) {
            log.info("configuration beyond servers changed: reloading HAProxy");
            target.reload();
            runningSkeleton = skeleton;
        }
    }

    private List<String> commands(Plan plan, Observed observed) {
        return commands(config, plan, observed, new ArrayList<>());
    }

    private List<String> commands(Plan plan, Observed observed, List<String> problems) {
        return commands(config, plan, observed, problems);
    }

    /**
     * The commands that take every backend of {@code config} from {@code observed} to {@code plan} (already
     * the agent's zone view); what stops a backend from being applied goes to {@code problems}.
     */
    public static List<String> commands(HsdoConfig config, Plan plan, Observed observed, List<String> problems) {
        List<String> commands = new ArrayList<>();
        for (BackendConfig be : config.backends()) {
            BackendPlan bp = plan.backend(be.name());
            if (bp == null) continue;
            if (be.slots() == null) {
                commands.addAll(Diff.commands(bp, observed.rows(be.name()), observed.stats(be.name())));
                continue;
            }
            SlotDiff.Result r = SlotDiff.commands(bp, observed.rows(be.name()), be.slots());
            commands.addAll(r.commands());
            problems.addAll(r.problems());
            // More endpoints than slots: the planner placed what fits; the rest is an error until fixed.
            if (bp.heldBack() != null) problems.add("backend " + be.name() + ": " + bp.heldBack());
        }
        return commands;
    }

    @Override
    public void close() {
        if (loop != null) loop.close();
    }
}
