package dev.hsdo.cli;

import dev.hsdo.agent.AgentStatus;
import dev.hsdo.agent.StoreHealth;
import dev.hsdo.controller.Controller;
import dev.hsdo.haproxy.HaproxyProcess;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.StatRow;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;
import dev.hsdo.model.SourceSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of the status document that standalone mode and fleet nodes share. */
final class StatusDocs {
    private StatusDocs() {}

    /** The plan in force: generation, digest, servers and held-back change per backend, the last store error. */
    static Map<String, Object> plan(Controller controller) {
        return plan(controller.current(), controller.lastError());
    }

    /**
     * {@code plan}: generation, digest, per backend its server count, held-back change and every server as planned
     * ({@code members}, for the status page), and {@code storeError}.
     */
    static Map<String, Object> plan(Plan plan, String storeError) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("generation", plan.generation());
        p.put("digest", plan.digest());
        Map<String, Object> backends = new LinkedHashMap<>();
        for (BackendPlan b : plan.backends()) {
            Map<String, Object> bd = new LinkedHashMap<>();
            bd.put("servers", b.servers().size());
            bd.put("heldBack", b.heldBack());
            bd.put("members", b.servers().stream().map(StatusDocs::server).toList());
            backends.put(b.name(), bd);
        }
        p.put("backends", backends);
        p.put("storeError", storeError);
        return p;
    }

    private static Map<String, Object> server(ServerPlan s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", s.name());
        d.put("id", s.id());
        d.put("identity", s.identity());
        d.put("address", s.address() + ":" + s.port());
        d.put("weight", s.weight());
        d.put("state", s.state().word());
        d.put("zone", s.zone());
        d.put("drainUntil", s.drainUntil());
        d.put("rampSince", s.rampSince());
        return d;
    }

    /**
     * {@code "tenants"} of the status: the generation whose table is applied ({@code applied}: the agent's, or
     * in a fleet the plan's), entry count, rejected entries, and the latest moves with {@code done} once every
     * HAProxy runs the generation that carries them ({@code reached}).
     */
    static Map<String, Object> tenants(long applied, dev.hsdo.model.TenantTable table, Controller controller,
                                       java.util.function.LongPredicate reached) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("generation", applied);
        t.put("entries", table.entries().size());
        t.put("rejected", table.rejected());
        if (controller != null) {
            t.put("moves", controller.moves().shown(reached));
            if (controller.tenants() != null) t.put("sourceError", controller.tenants().error());
        }
        return t;
    }

    /** Every source's health, endpoint count and rejected entries. */
    static Map<String, Object> sources(Controller controller) {
        Map<String, Object> sources = new LinkedHashMap<>();
        for (SourceSnapshot s : controller.snapshots().values()) {
            Map<String, Object> sd = new LinkedHashMap<>();
            sd.put("state", s.state().word());
            sd.put("healthy", s.healthy());
            sd.put("error", s.error());
            sd.put("endpoints", s.endpoints().size());
            sd.put("rejected", s.rejected());
            sd.put("readAt", s.readAt());
            sources.put(s.source(), sd);
        }
        return sources;
    }

    /** Why an agent with {@code status} is not ready while plan {@code generation} is in force, or null. */
    static String notReady(AgentStatus status, long generation) {
        if (!status.haproxyReachable()) return "HAProxy runtime API unreachable: " + status.lastErrors();
        if (!status.converged()) return "plan " + generation + " not applied yet (applied: " + status.appliedGeneration()
                + ")" + (status.lastErrors().isEmpty() ? "" : " errors: " + status.lastErrors());
        return null;
    }

    /** The fleet store as the agent last saw it: healthy, or the error and since when; a duplicate agent id. */
    static Map<String, Object> store(StoreHealth.State store, String duplicate) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("healthy", store.healthy());
        d.put("error", store.error());
        d.put("since", store.since());
        if (duplicate != null) d.put("duplicateAgentId", duplicate);
        return d;
    }

    /**
     * What a ready agent still wants known: a store outage (HAProxy serves the last plan meanwhile, so the agent
     * stays in rotation), an agent id another agent holds, parts of the plan left out; null when nothing.
     */
    static String readyNote(StoreHealth.State store, String duplicate, AgentStatus status) {
        List<String> notes = new ArrayList<>();
        if (!store.healthy())
            notes.add("fleet store failing since " + store.since() + " (" + store.error() + "); serving the last plan");
        if (duplicate != null) notes.add(duplicate);
        if (!status.planProblems().isEmpty()) notes.add("plan problems: " + status.planProblems());
        return notes.isEmpty() ? null : String.join("\n", notes);
    }

    /**
     * {@link #haproxy(HaproxyProcess)} and what HAProxy itself reports for every server ({@code show stat}) under
     * {@code servers}: backend → server → status, sessions, weight; or {@code serversError} when it does not answer.
     */
    static Map<String, Object> haproxy(HaproxyProcess haproxy, RuntimeApi api) {
        Map<String, Object> h = haproxy(haproxy);
        try {
            Map<String, Map<String, Object>> servers = new LinkedHashMap<>();
            for (StatRow r : api.showStat()) {
                if (!r.isServer()) continue;
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("status", r.status());
                d.put("sessions", r.currentSessions());
                d.put("totalSessions", r.totalSessions());
                d.put("queue", r.currentQueue());
                d.put("weight", r.weight());
                servers.computeIfAbsent(r.proxy(), k -> new LinkedHashMap<>()).put(r.service(), d);
            }
            h.put("servers", servers);
        } catch (RuntimeApiException e) {
            h.put("serversError", e.getMessage());
        }
        return h;
    }

    /** The supervised HAProxy's pid and start count, or that HAProxy is external when hsdo does not supervise it. */
    static Map<String, Object> haproxy(HaproxyProcess haproxy) {
        Map<String, Object> h = new LinkedHashMap<>();
        if (haproxy == null) {
            h.put("external", true);
        } else {
            h.put("pid", haproxy.pid());
            h.put("starts", haproxy.generation());
        }
        return h;
    }

    /** Adds {@code activeBackup} and {@code peers} to {@code doc} when the agent has active/backup backends. */
    static void activeBackup(Map<String, Object> doc, dev.hsdo.agent.Agent agent) {
        if (agent.peers().isEmpty()) return;
        doc.put("activeBackup", agent.activeBackup());
        doc.put("peers", agent.peers());
    }
}
