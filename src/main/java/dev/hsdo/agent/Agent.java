package dev.hsdo.agent;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.PeerConfig;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.PeersSection;
import dev.hsdo.haproxy.StickEntry;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.haproxy.TenantRules;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.store.HaproxyServers;
import dev.hsdo.util.WakeableLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** A quiet round reads {@code show stat} too once in this many rounds (maxconn or backup changed by hand). */
    private static final int FULL_READ_EVERY = 5;
    // How long a reload waits for the running worker to finish learning its stick tables: HAProxy gives up on a
    // peer that does not teach after 5 s, so 8 s covers a fresh start.
    private static final int RESYNC_POLLS = 80;
    private static final long RESYNC_POLL_MS = 100;

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
    // guarded by roundLock: servers HAProxy refused to add, left out of the config until their plan entry changes
    private final Map<ServerKey, Refusal> refused = new LinkedHashMap<>();
    private volatile Plan applied;
    private volatile AgentStatus status = AgentStatus.initial();
    // guarded by roundLock: the plan last rendered (its backends decide the text) and what it gave, so that an
    // unchanged tick, the common case, and a plan that changes only the tenant table (the map file holds those)
    // render and write nothing
    private Plan renderedPlan;
    private String renderedText;
    private String renderedSkeleton;
    // guarded by roundLock: the published plan of the last round that read both dumps, and the rounds since.
    // A quiet round (same plan, last round converged) reads only the state dump: the stat dump, needed only to
    // check maxconn and the backup flag, is read on every change of the backends and every FULL_READ_EVERY rounds.
    private Plan fullyReadFor;
    private int roundsSinceFullRead;
    // The other HAProxies of the peers section (the local one is added from the config); written by the
    // fleet or sidecar watcher, read by the round.
    private volatile List<PeerConfig> remotePeers;
    // guarded by roundLock: the peers the last rendered text has
    private List<PeerConfig> renderedPeers;
    private volatile List<ActiveServer> activeBackup = List.of();
    // guarded by roundLock: the tenant map's sync state, and the digest of the map file last written
    private final TenantSync tenantSync;
    private String writtenMapDigest;
    private volatile TenantStatus tenantStatus = TenantStatus.initial();
    private volatile WakeableLoop loop;
    // reads the whole tenant map back every tenants.verify-interval, off the rounds (null without tenants)
    private volatile WakeableLoop verifyLoop;
    private volatile Runnable onStatusChange = () -> {};
    // what HAProxy reported of each backend's servers at the end of the last round that reached it
    private volatile Map<String, HaproxyServers> haproxyServers = Map.of();

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
        this.remotePeers = config.peers() == null ? List.of() : config.peers().staticPeers();
        this.tenantSync = config.tenants() == null ? null : new TenantSync(config.tenants(), clock);
    }

    /**
     * Replaces the other HAProxies of the peers section (fleet: the registered agents; sidecar: the SRV
     * record). A change rewrites the peers section, and the next round reloads HAProxy hitlessly; the local
     * peer keeps the stick tables across the reload.
     */
    public void peers(List<PeerConfig> remote) {
        List<PeerConfig> sorted = remote.stream().sorted(java.util.Comparator.comparing(PeerConfig::name)).toList();
        if (sorted.equals(remotePeers)) return;
        remotePeers = sorted;
        wake();
    }

    /** The peers section as rendered: the local HAProxy and the others; empty without active/backup backends. */
    public List<PeerStatus> peers() {
        if (config.peers() == null || !config.hasActiveBackup()) return List.of();
        List<PeerStatus> out = new ArrayList<>();
        out.add(new PeerStatus(config.peers().localName(), config.peers().bind(), true));
        for (PeerConfig p : remotePeers)
            if (!p.name().equals(config.peers().localName())) out.add(new PeerStatus(p.name(), p.address(), false));
        return List.copyOf(out);
    }

    /** The active server of every active/backup backend as this HAProxy's stick table last showed it. */
    public List<ActiveServer> activeBackup() {
        return activeBackup;
    }

    /** The tenant map as last verified in HAProxy. */
    public TenantStatus tenantStatus() {
        return tenantStatus;
    }

    /**
     * Hands the agent a plan and starts a round at once if it replaces the desired one: it supersedes it, or it
     * is the same generation of the same store epoch with other content (the store's plan replaces the one kept
     * on disk, which lacks what HAProxy refused).
     */
    public void offer(Plan plan) {
        Plan prev = desired.getAndAccumulate(plan, (old, neu) -> replaces(neu, old) ? neu : old);
        if (replaces(plan, prev)) wake();
    }

    private static boolean replaces(Plan neu, Plan old) {
        return neu.supersedes(old) || (neu.epoch() == old.epoch() && neu.generation() == old.generation()
                && !neu.sameContent(old));
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
            if (tenantSync != null) tenantSync.forget();
        }
        wake();
    }

    /** Runs {@code listener} on the agent's thread after every round whose status or applied plan differs from the one before. */
    public void onStatusChange(Runnable listener) {
        this.onStatusChange = listener;
    }

    /** The plan the agent works towards, or null before the first. */
    public Plan desired() {
        return desired.get();
    }

    /**
     * The plan HAProxy was last verified to run, as the store published it less what this agent leaves out
     * (backends its config lacks, servers HAProxy refused), or null before the first.
     */
    public Plan applied() {
        return applied;
    }

    /** What HAProxy reported of every backend's servers (up, down, maint, sessions) at the end of the last round. */
    public Map<String, HaproxyServers> haproxyServers() {
        return haproxyServers;
    }

    /** The latest status. */
    public AgentStatus status() {
        return status;
    }

    /** Starts the loop thread. */
    public void start() {
        loop = new WakeableLoop("hsdo-agent", config.reconcileInterval(), this::reconcileOnce);
        loop.wake();
        // Ticks as often as rounds run; a read happens only when the verify interval has passed on the clock.
        if (tenantSync != null) verifyLoop = new WakeableLoop("hsdo-tenant-verify", config.reconcileInterval(), this::verifyTenantMap);
    }

    /**
     * Reads the whole tenant map back if the verify interval has passed since the last whole read, without holding
     * the round (a million entries take about a second to read and compare, and a move must not wait for it); a
     * map that differs from what was last verified starts a round, which repairs it and reports the drift.
     */
    void verifyTenantMap() {
        TenantSync.Check check;
        synchronized (roundLock) {
            check = tenantSync.dueCheck();
        }
        if (check == null) return;
        boolean differs;
        try {
            differs = tenantSync.differs(api, check);
        } catch (RuntimeApiException e) {
            // An HAProxy that does not answer is the rounds' to report; the read is tried again at the next tick.
            log.debug("tenant map not read back: {}", e.getMessage());
            return;
        }
        boolean drift;
        synchronized (roundLock) {
            drift = tenantSync.checked(check, differs);
        }
        if (drift) wake();
    }

    /** Runs one round now and returns the status it ended with. */
    public AgentStatus reconcileOnce() {
        Plan published = desired.get();
        if (published == null) return status;
        synchronized (roundLock) {
            long start = System.nanoTime();
            List<String> errors = new ArrayList<>();
            List<String> pending = List.of();
            boolean reachable = true;
            Plan runnable = runnable(published);
            try {
                Plan plan = ZoneView.of(runnable, config, config.fleet().zone());
                writeConfig(plan);
                // Servers as already applied (a plan that moves tenants only): the tenant map goes first, so a move
                // does not wait for the servers' drift check. Otherwise after the servers, so that a tenant moved
                // to a shard whose servers this plan adds finds them there.
                boolean tenantsFirst = this.applied != null && runnable.backends().equals(this.applied.backends());
                if (tenantsFirst) syncTenants(published, errors);
                // A plan that moves tenants only leaves the servers as they were: their states are enough.
                boolean full = fullyReadFor == null || !published.backends().equals(fullyReadFor.backends())
                        || !status.converged() || ++roundsSinceFullRead >= FULL_READ_EVERY;
                Observed observed = full ? Observed.read(api) : Observed.readStates(api);
                if (full) {
                    fullyReadFor = published;
                    roundsSinceFullRead = 0;
                }
                List<String> commands = commands(plan, observed, errors);
                // Some changes take two steps (a server removed, then added anew): while a pass makes
                // progress without errors, the next pass follows at once rather than a round later.
                for (int pass = 0; !commands.isEmpty() && pass < MAX_PASSES; pass++) {
                    List<Reply> replies = api.execute(commands);
                    metrics.commandsSent(replies.size());
                    int failed = 0;
                    boolean refusedNow = false;
                    for (Reply r : replies) {
                        if (r.ok()) continue;
                        // A server with sessions left cannot be deleted yet: the next round tries again.
                        if (r.error().contains("still has connections")) continue;
                        failed++;
                        if (refuse(published, r)) refusedNow = true;
                        else if (!aboutRefused(r.command())) errors.add(r.command() + ": " + r.error());
                    }
                    metrics.commandsFailed(failed);
                    if (refusedNow) {
                        // Out of the config file at once, so that the next HAProxy (re)start does not fail on it.
                        runnable = runnable(published);
                        plan = ZoneView.of(runnable, config, config.fleet().zone());
                        writeConfig(plan);
                    }
                    observed = Observed.read(api);
                    pending = commands(plan, observed);
                    if ((failed > 0 && !refusedNow) || pending.equals(commands)) break;
                    commands = pending;
                }
                metrics.servers(observed.rows());
                haproxyServers = observed.summary(haproxyServers);
                if (config.hasActiveBackup()) {
                    activeBackup = ActiveBackupReader.read(api, config, plan);
                    metrics.activeBackup(activeBackup);
                }
                if (!tenantsFirst) syncTenants(published, errors);
            } catch (RuntimeApiException e) {
                reachable = false;
                errors.add("haproxy runtime API: " + e.getMessage());
            } catch (IOException | IllegalStateException e) {
                errors.add("haproxy config: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // A plan the renderer cannot write: reported, and the round ends without touching HAProxy.
                errors.add("plan " + published.generation() + ": " + e.getMessage());
            }
            List<String> problems = planProblems(published);
            boolean applied = reachable && pending.isEmpty() && errors.isEmpty();
            // A plan of the same generation from a reset store, or one less a refused server, is news too.
            boolean appliedChanged = applied && !runnable.equals(this.applied);
            if (applied) this.applied = runnable;
            AgentStatus before = status;
            status = new AgentStatus(published.generation(),
                    applied ? published.generation() : before.appliedGeneration(),
                    applied ? (before.appliedGeneration() == published.generation() && before.appliedAt() != null
                            ? before.appliedAt() : clock.instant()) : before.appliedAt(),
                    reachable, errors, pending, problems);
            metrics.applied(status, System.nanoTime() - start);
            if (!errors.isEmpty() && !errors.equals(before.lastErrors())) log.warn("plan {}: {}", published.generation(), errors);
            if (!problems.isEmpty() && !problems.equals(before.planProblems()))
                log.warn("plan {}: applied without what this agent cannot apply: {}", published.generation(), problems);
            if (applied && before.appliedGeneration() != published.generation())
                log.info("plan {} applied ({} ms)", published.generation(), (System.nanoTime() - start) / 1_000_000);
            if (!status.equals(before) || appliedChanged) onStatusChange.run();
            return status;
        }
    }

    /**
     * {@code published} without what cannot run here: servers HAProxy refused (until their plan entry changes)
     * and backends the agent's config lacks. Forgets refusals whose server changed or left the plan, so those
     * are tried again.
     */
    private Plan runnable(Plan published) {
        refused.entrySet().removeIf(e -> {
            BackendPlan b = published.backend(e.getKey().backend());
            return b == null || !e.getValue().entry().equals(b.server(e.getKey().server()));
        });
        List<BackendPlan> kept = new ArrayList<>();
        for (BackendPlan b : published.backends()) {
            if (config.backend(b.name()) == null) continue;
            List<ServerPlan> servers = b.servers().stream()
                    .filter(s -> !refused.containsKey(new ServerKey(b.name(), s.name()))).toList();
            kept.add(servers.size() == b.servers().size() ? b : new BackendPlan(b.name(), servers, b.heldBack()));
        }
        return kept.equals(published.backends()) ? published
                : published.withBackends(kept);
    }

    /** Records a refused {@code add server} of a server {@code published} plans; false for any other failure. */
    private boolean refuse(Plan published, Reply r) {
        if (!r.command().startsWith("add server ")) return false;
        String target = r.command().split(" ", 4)[2];
        int slash = target.indexOf('/');
        if (slash < 0) return false;
        ServerKey key = new ServerKey(target.substring(0, slash), target.substring(slash + 1));
        BackendPlan b = published.backend(key.backend());
        ServerPlan entry = b == null ? null : b.server(key.server());
        // Name or id still taken by a server being deleted: not this entry's fault, a later pass adds it.
        if (entry == null || r.error().toLowerCase(java.util.Locale.ROOT).contains("already")) return false;
        refused.put(key, new Refusal(entry, r.error()));
        log.warn("HAProxy refused server {}: {}; left out of the config until its plan entry changes", target, r.error());
        return true;
    }

    // The follow-up commands of a refused server (enable health, set state) fail for the same reason.
    private boolean aboutRefused(String command) {
        for (String word : command.split(" ")) {
            int slash = word.indexOf('/');
            if (slash > 0 && refused.containsKey(new ServerKey(word.substring(0, slash), word.substring(slash + 1))))
                return true;
        }
        return false;
    }

    /** What of {@code published} this agent leaves out while it applies the rest. */
    private List<String> planProblems(Plan published) {
        List<String> problems = new ArrayList<>();
        for (BackendPlan b : published.backends()) {
            if (config.backend(b.name()) == null)
                problems.add("backend " + b.name() + ": in the plan but not in this agent's configuration (skipped)");
            // More endpoints than slots, or removals the guard holds back: the planner placed what it could.
            else if (b.heldBack() != null) problems.add("backend " + b.name() + ": " + b.heldBack());
        }
        refused.forEach((k, v) -> problems.add("server " + k.backend() + "/" + k.server() + " ("
                + v.entry().identity() + "): refused by HAProxy: " + v.error() + " (left out until its plan entry changes)"));
        return problems;
    }

    private record ServerKey(String backend, String server) {}

    private record Refusal(ServerPlan entry, String error) {}

    // Writes the config before any runtime change, so a reload or restart starts from the new plan; checks it
    // with haproxy -c unless only server lines changed since the last check; reloads only when something
    // besides the servers changed.
    private void writeConfig(Plan plan) throws IOException {
        writeMapFile(plan);
        if (target == null) return;
        List<PeerConfig> peers = remotePeers;
        // The text names the plan's generation in its first line, a comment: a plan that changes only the tenant
        // table keeps the config as written (the map file holds the table), so moving a tenant writes one file.
        if (renderedPlan == null || !plan.backends().equals(renderedPlan.backends()) || !peers.equals(renderedPeers)) {
            renderedText = ConfigRenderer.render(config, plan, paths, peers);
            renderedPeers = peers;
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
            if (config.hasActiveBackup()) awaitPeersResynced(" before the reload");
            target.reload();
            runningSkeleton = skeleton;
            if (config.hasActiveBackup()) afterReload(activeBackup);
        }
    }

    /**
     * Waits, bounded, until the running worker has finished learning its stick tables; after the bound, or when
     * {@code show peers} cannot be read, the caller goes ahead (the entry is sent again after the reload).
     * HAProxy (2.6 and 3.0) hands the tables to the new worker of a reload only from an old worker that has: a
     * worker reloaded while it still waits for a peer to teach it (up to 5 s after a start) takes the table with
     * it, and when every HAProxy of the fleet reloads at once for a peer change none has the entry left.
     */
    private void awaitPeersResynced(String why) {
        for (int i = 0; i < RESYNC_POLLS; i++) {
            try {
                if (api.showPeers().stream().filter(p -> p.name().equals(ConfigRenderer.PEERS_SECTION))
                        .allMatch(PeersSection::resynced)) {
                    if (i > 0) log.info("stick tables resynced after {} ms{}", i * RESYNC_POLL_MS, why);
                    return;
                }
            } catch (RuntimeApiException e) {
                log.warn("cannot read show peers{}: {}", why, e.getMessage());
                return;
            }
            if (i == 0) log.info("HAProxy is still learning its stick tables from its peers{}: waiting for it", why);
            try {
                Thread.sleep(RESYNC_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("HAProxy's stick tables not resynced after {} ms{}", RESYNC_POLLS * RESYNC_POLL_MS, why);
    }

    /**
     * After a reload, once the new worker has learned its tables: sets the stick entry of every active/backup
     * backend again where the new worker has none, from what the old worker's table said ({@code before}), and
     * otherwise sends the entry it has once more. A peer learns another's entries only from a full resync when it
     * starts (or from its own old worker) and from updates made after it connected; a HAProxy that joins while its
     * peers reload asks peers that are themselves still learning, gets a partial lesson and stops asking (seen on
     * 2.6.12: the newcomer's table stayed empty while both peers had the entry). Setting the entry again, to the
     * same server, is such an update: every connected peer receives it. An entry set with only {@code server_id}
     * routes to that server (HAProxy fills in its name on use); the ids are the same on every instance.
     */
    private void afterReload(List<ActiveServer> before) {
        awaitPeersResynced(" after the reload");
        for (ActiveServer a : before) {
            try {
                Integer now = api.showTable(a.backend()).stream().map(StickEntry::serverId).filter(Objects::nonNull)
                        .findFirst().orElse(null);
                Integer id = now != null ? now : a.activeId();
                if (id == null) continue;
                List<Reply> r = api.execute(List.of("set table " + a.backend() + " key 1 data.server_id " + id));
                if (r.isEmpty() || !r.getFirst().ok())
                    log.warn("backend {}: cannot send its active server (id {}) to the peers after the reload: {}",
                            a.backend(), id, r.isEmpty() ? "no answer" : r.getFirst().error());
                else if (now == null)
                    log.info("backend {}: active server {} set again in the reloaded HAProxy's table", a.backend(), a.active());
            } catch (RuntimeApiException e) {
                log.warn("backend {}: cannot send its active server to the peers after the reload: {}", a.backend(),
                        e.getMessage());
            }
        }
    }

    // Called under roundLock: brings the tenant map to the plan's table.
    private void syncTenants(Plan published, List<String> errors) throws RuntimeApiException {
        if (tenantSync == null) return;
        String problem = tenantSync.sync(api, published.tenants());
        if (problem != null) errors.add(problem);
        else tenantVerified(published);
    }

    private void tenantVerified(Plan published) {
        TenantStatus before = tenantStatus;
        int drift = tenantSync.lastDrift();
        if (drift > 0) {
            log.warn("tenant map {}: {} entries differed from plan {} (changed outside hsdo, first repaired with: {}); put back",
                    config.tenants().mapFile(), drift, published.generation(), tenantSync.firstDrift());
            metrics.tenantsDrift(drift);
        }
        if (drift == 0 && before.generation() == published.generation() && before.entries() == published.tenants().entries().size()) return;
        tenantStatus = new TenantStatus(published.generation(), published.tenants().entries().size(), published.tenants().rejected(),
                before.driftRepaired() + drift, drift > 0 ? clock.instant() : before.lastDriftAt());
        metrics.tenants(tenantStatus);
        if (tenantSync.lastChanges() > 0)
            log.info("tenant map of plan {}: {} entries, {} changed{}", published.generation(), tenantStatus.entries(),
                    tenantSync.lastChanges(), tenantSync.lastSwapped() ? " (swapped whole)" : "");
        if (!published.tenants().rejected().isEmpty() && !published.tenants().rejected().equals(before.rejected()))
            log.warn("tenant table of plan {}: {} entries rejected, first: {}", published.generation(),
                    published.tenants().rejected().size(), published.tenants().rejected().getFirst());
    }

    // The map file before the config that reads it and before any runtime change, so that a (re)start of HAProxy
    // loads the table the plan holds.
    private void writeMapFile(Plan plan) throws IOException {
        if (config.tenants() == null || plan.tenants().digest().equals(writtenMapDigest)) return;
        // Replaced atomically but not synced: after a crash the agent rewrites it from the plan before HAProxy needs it
        // (the first round of every start writes it), and each move should not wait for the disk twice.
        dev.hsdo.util.AtomicFiles.writeUnsynced(config.tenants().mapFile(), TenantRules.mapText(config.tenants(), plan.tenants()));
        writtenMapDigest = plan.tenants().digest();
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
                List<String> diff = Diff.commands(bp, observed.rows(be.name()), observed.stats(be.name()));
                // Its members come from the config file and a reload (which writeConfig did before this): adding
                // one at runtime would leave the Runtime API unanswered; what is left differs only until then.
                if (ConfigRenderer.serversFromFileOnly(be)) diff = diff.stream().filter(c -> !changesMembers(c)).toList();
                commands.addAll(diff);
                continue;
            }
            SlotDiff.Result r = SlotDiff.commands(bp, observed.rows(be.name()), be.slots());
            commands.addAll(r.commands());
            problems.addAll(r.problems());
        }
        return commands;
    }

    private static boolean changesMembers(String command) {
        return command.startsWith("add server ") || command.startsWith("del server ")
                || command.startsWith("enable health ") || command.startsWith("shutdown sessions server ");
    }

    @Override
    public void close() {
        if (verifyLoop != null) verifyLoop.close();
        if (loop != null) loop.close();
    }
}
