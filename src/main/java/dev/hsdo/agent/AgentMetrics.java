package dev.hsdo.agent;

import dev.hsdo.haproxy.ServerStateRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The agent's Prometheus metrics. */
public final class AgentMetrics {
    private final MeterRegistry registry;
    private final Timer applyDuration;
    private final Counter sent;
    private final Counter failed;
    private final AtomicLong desiredGeneration = new AtomicLong();
    private final AtomicLong appliedGeneration = new AtomicLong();
    private final AtomicLong planProblems = new AtomicLong();
    private final AtomicLong haproxyReachable = new AtomicLong();
    private final Map<String, AtomicLong> servers = new ConcurrentHashMap<>();
    // backend → its active-server gauge, so that a change of the active server removes the old series
    private final Map<String, Meter> activeBackup = new ConcurrentHashMap<>();
    private final AtomicLong tenantsGeneration = new AtomicLong();
    private final AtomicLong tenantsEntries = new AtomicLong();
    private final AtomicLong tenantsRejected = new AtomicLong();
    private final Counter tenantsDrift;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.applyDuration = Timer.builder("hsdo.apply.duration").description("time of one reconcile round")
                .publishPercentileHistogram().register(registry);
        this.sent = Counter.builder("hsdo.commands.sent").description("Runtime API commands sent").register(registry);
        this.failed = Counter.builder("hsdo.commands.failed").description("Runtime API commands HAProxy refused").register(registry);
        registry.gauge("hsdo.plan.generation.desired", desiredGeneration);
        registry.gauge("hsdo.plan.generation.applied", appliedGeneration);
        Gauge.builder("hsdo.plan.problems", planProblems, AtomicLong::get)
                .description("parts of the plan this agent leaves out (endpoints beyond the slots, unknown backends, "
                        + "servers HAProxy refused) while it applies the rest").register(registry);
        // What an alert needs: an agent that keeps its plan but cannot reach its HAProxy changes nothing there.
        Gauge.builder("hsdo.haproxy.reachable", haproxyReachable, AtomicLong::get)
                .description("1 while the last round reached HAProxy's Runtime API, 0 when it failed (and before the first plan)")
                .register(registry);
        Gauge.builder("hsdo.tenants.generation", tenantsGeneration, AtomicLong::get)
                .description("plan generation whose tenant map HAProxy was last verified to hold").register(registry);
        Gauge.builder("hsdo.tenants.entries", tenantsEntries, AtomicLong::get)
                .description("entries of the tenant map HAProxy holds").register(registry);
        Gauge.builder("hsdo.tenants.rejected", tenantsRejected, AtomicLong::get)
                .description("tenant table entries left out (unsafe id, unknown shard)").register(registry);
        this.tenantsDrift = Counter.builder("hsdo.tenants.drift.repaired")
                .description("tenant map entries found changed in HAProxy by someone else (drift) and put back").register(registry);
    }

    void tenantsDrift(int entries) {
        tenantsDrift.increment(entries);
    }

    void tenants(TenantStatus t) {
        tenantsGeneration.set(t.generation());
        tenantsEntries.set(t.entries());
        tenantsRejected.set(t.rejected().size());
    }

    /** Metrics that go nowhere, for tests and one-shot commands. */
    public static AgentMetrics none() {
        return new AgentMetrics(new SimpleMeterRegistry());
    }

    void commandsSent(int n) {
        sent.increment(n);
    }

    void commandsFailed(int n) {
        failed.increment(n);
    }

    void applied(AgentStatus status, long nanos) {
        applyDuration.record(Duration.ofNanos(nanos));
        desiredGeneration.set(status.desiredGeneration());
        appliedGeneration.set(status.appliedGeneration());
        planProblems.set(status.planProblems().size());
        haproxyReachable.set(status.haproxyReachable() ? 1 : 0);
    }

    /** One {@code hsdo_active_backup_server{backend,server} 1} series per backend with an entry, none without. */
    void activeBackup(List<ActiveServer> active) {
        for (ActiveServer a : active) {
            Meter old = activeBackup.get(a.backend());
            String oldServer = old == null ? null : old.getId().getTag("server");
            if (java.util.Objects.equals(oldServer, a.active())) continue;
            if (old != null) registry.remove(old);
            activeBackup.remove(a.backend());
            if (a.active() != null)
                activeBackup.put(a.backend(), Gauge.builder("hsdo.active.backup.server", () -> 1)
                        .description("the server an active/backup backend's shared stick entry names (1 per backend)")
                        .tags("backend", a.backend(), "server", a.active()).register(registry));
        }
    }

    void servers(Map<String, List<ServerStateRow>> observed) {
        servers.values().forEach(v -> v.set(0));
        observed.forEach((backend, rows) -> {
            for (ServerStateRow r : rows) {
                String state = r.isMaint() ? "maint" : r.isDrain() ? "drain" : r.isUp() ? "up" : "down";
                servers.computeIfAbsent(backend + "\u0000" + state, k -> registry.gauge("hsdo.servers",
                        Tags.of("backend", backend, "state", state), new AtomicLong())).incrementAndGet();
            }
        });
    }
}
