package dev.hsdo.cli;

import dev.hsdo.agent.Agent;
import dev.hsdo.agent.AgentMetrics;
import dev.hsdo.agent.AgentStatus;
import dev.hsdo.agent.LocalState;
import dev.hsdo.agent.StatusReporter;
import dev.hsdo.agent.StoreHealth;
import dev.hsdo.config.ConfigException;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.HaproxyProcess;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.model.Plan;
import dev.hsdo.agent.FleetPeers;
import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.util.WakeableLoop;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code hsdo agent}: watches the fleet store and keeps its own HAProxy on the published plan, reporting
 * what it applied. It keeps the last applied plan in its data directory ({@code haproxy.runtime-dir}) and
 * starts from it when the store does not answer, so a restart during a store outage serves what was served
 * before; it starts even when the store does not answer, and follows the store once it does. While the
 * store is unreachable it keeps serving the last plan, shows the outage in its status, metrics and
 * readiness text, and catches up when the store returns.
 */
public final class AgentNode extends Node {
    private static final Logger log = LoggerFactory.getLogger(AgentNode.class);

    private LocalState state;
    private StoreHealth storeHealth;
    private LocalHaproxy local;
    private StatusReporter reporter;
    private volatile String haproxyVersion;

    private AgentNode(HsdoConfig config) {
        super(config);
    }

    /**
     * Starts HAProxy on the stored plan (or the last applied one when the store does not answer) and follows
     * the store; on failure stops what it started.
     *
     * @throws ConfigException when another live agent already reports under this agent's id
     */
    public static AgentNode start(HsdoConfig config, Clock clock) throws Exception {
        return startOrClose(new AgentNode(config), clock);
    }

    @Override
    void startAll(Clock clock) throws Exception {
        Files.createDirectories(config.haproxy().runtimeDir());
        state = new LocalState(config.haproxy().runtimeDir());
        storeHealth = new StoreHealth(clock).register(registry);
        // Opening makes no call (the stores connect lazily), so the agent starts whether or not the store answers.
        // Added first, so closed last: the reporter and the watch need the connection until they stop.
        FleetStore fleet = toClose.add(FleetStores.open(config.store(), clock));
        reporter = toClose.add(new StatusReporter(config.fleet().agentId(), state.instance(), config.fleet().zone(),
                this::agentStatus, this::haproxyVersion, storeHealth, config.fleet().statusTtl(), clock));
        reporter.haproxyServers(() -> local == null ? Map.of() : local.agent().haproxyServers());
        reporter.attach(fleet.agents(config.fleet().statusTtl()));
        String duplicate = reporter.claim();
        if (duplicate != null) throw new ConfigException(List.of("fleet.agent-id: " + duplicate));
        Plan stored = read(fleet);
        local = toClose.add(startHaproxy(stored, state.loadPlan(), clock));
        local.agent().onStatusChange(() -> {
            state.savePlan(local.agent().applied());
            reporter.wake();
        });
        fleet.plans().watch(local.agent()::offer);
        if (config.hasActiveBackup()) followPeers(fleet.agents(config.fleet().statusTtl()));
        startAdmin();
    }

    /**
     * Active/backup backends: advertises this HAProxy as a peer in the agent's report, and renders the other
     * registered agents as its peers, re-read as often as reports are renewed. A store that does not answer
     * leaves the peers as they were: an outage must not empty the peers section.
     */
    private void followPeers(AgentRegistry registry) {
        reporter.activeBackup(config.peers().local(), local.agent()::activeBackup);
        reporter.wake();
        String[] lastProblems = {""};
        toClose.add(new WakeableLoop("hsdo-peers", config.fleet().statusTtl().dividedBy(3), () -> {
            try {
                List<String> problems = new ArrayList<>();
                local.agent().peers(FleetPeers.of(config.fleet().agentId(), config.peers().localName(), registry.agents(), problems));
                if (!problems.isEmpty() && !String.join("; ", problems).equals(lastProblems[0])) log.warn("peers: {}", problems);
                lastProblems[0] = String.join("; ", problems);
            } catch (StoreException e) {
                log.debug("peers not re-read (the store does not answer): {}", e.getMessage());
            }
        })).wake();
    }

    /** The stored plan, or null when the store is empty or does not answer. */
    private Plan read(FleetStore f) {
        try {
            Optional<Plan> p = f.plans().current();
            storeHealth.answered();
            return p.orElse(null);
        } catch (StoreException e) {
            storeHealth.failed(e.getMessage());
            return null;
        }
    }

    /**
     * HAProxy on the stored plan, else (the store does not answer) on the last applied one, else on none. A plan
     * HAProxy refuses to start with (a server it rejects, a configuration changed since) is reported and the next
     * one is tried, rather than keeping HAProxy down; the agent then applies the plan at runtime, leaving out
     * what HAProxy refuses.
     */
    private LocalHaproxy startHaproxy(Plan stored, Optional<Plan> kept, Clock clock) throws Exception {
        // One set of meters whichever attempt succeeds: a registry keeps the first meter of a name.
        AgentMetrics metrics = new AgentMetrics(registry);
        List<Plan> candidates = new ArrayList<>();
        if (stored != null) candidates.add(stored);
        kept.ifPresent(candidates::add);
        // Why there is no stored plan: the store's error, or none (the store answered and holds no plan yet).
        String why = storeHealth.state().error() == null ? "the store holds no plan yet" : storeHealth.state().error();
        if (stored == null && kept.isPresent())
            log.warn("{}: starting HAProxy on the last applied plan {} ({}) until the store has one",
                    why, kept.get().generation(), state.planFile());
        if (stored == null && kept.isEmpty())
            log.warn("{}: starting HAProxy without servers until the store has a plan", why);
        for (Plan p : candidates) {
            try {
                LocalHaproxy started = LocalHaproxy.start(config, p, clock, metrics);
                // A plan that did not serve as the first one is applied at runtime.
                if (stored != null && p != stored) started.agent().offer(stored);
                return started;
            } catch (Exception e) {
                log.error("cannot start HAProxy on plan {}: {}; trying {}", p.generation(), e.getMessage(),
                        p == candidates.getLast() ? "without servers" : "the last applied plan");
            }
        }
        LocalHaproxy started = LocalHaproxy.start(config, Plan.empty(), clock, metrics);
        if (stored != null) started.agent().offer(stored);
        else kept.ifPresent(started.agent()::offer);
        return started;
    }

    private AgentStatus agentStatus() {
        LocalHaproxy l = local;
        return l == null ? AgentStatus.initial() : l.agent().status();
    }

    private String haproxyVersion() {
        if (haproxyVersion == null && local != null) {
            try {
                haproxyVersion = local.api().showInfo().get("Version");
            } catch (RuntimeApiException e) {
                log.debug("HAProxy version not known yet: {}", e.getMessage());
            }
        }
        return haproxyVersion;
    }

    /** The agent. */
    public Agent agent() {
        return local.agent();
    }

    /** The supervised HAProxy, or null when the user runs it. */
    HaproxyProcess haproxy() {
        return local.haproxy();
    }

    /** The report this agent publishes. */
    public AgentReport report() {
        return reporter.report();
    }

    @Override
    public Plan plan() {
        Plan p = local.agent().desired();
        return p == null ? Plan.empty() : p;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("report", reporter.report());
        doc.put("agent", local.agent().status());
        doc.put("store", StatusDocs.store(storeHealth.state(), reporter.duplicate()));
        doc.put("haproxy", StatusDocs.haproxy(local.haproxy(), local.api()));
        // The plan this agent works towards, server by server, for the status page.
        doc.put("plan", StatusDocs.plan(plan(), storeHealth.state().error()));
        StatusDocs.activeBackup(doc, local.agent());
        if (config.tenants() != null) {
            var t = local.agent().tenantStatus();
            Map<String, Object> tenants = new LinkedHashMap<>(Map.of("generation", t.generation(), "entries", t.entries(),
                    "rejected", t.rejected(), "driftRepaired", t.driftRepaired()));
            tenants.put("lastDriftAt", t.lastDriftAt());
            doc.put("tenants", tenants);
        }
        return doc;
    }

    @Override
    public String notReadyReason() {
        return StatusDocs.notReady(local.agent().status(), plan().generation());
    }

    @Override
    public String readyNote() {
        return StatusDocs.readyNote(storeHealth.state(), reporter.duplicate(), local.agent().status());
    }

    @Override
    public boolean releaseGuard(String backend) {
        // The guard belongs to the controller, which plans.
        return false;
    }

    @Override
    public void reconcileNow() {
        local.agent().wake();
    }
}
