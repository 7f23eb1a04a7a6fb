package dev.hsdo.admin;

import dev.hsdo.model.Plan;

import java.util.Map;

/** What the admin API shows and the few things it may do. */
public interface AdminView {
    /** The plan in force. */
    Plan plan();

    /** The status document: plan, agent, sources, HAProxy. */
    Map<String, Object> status();

    /** Why hsdo is not ready (HAProxy unreachable, plan not applied), or null when it is. */
    String notReadyReason();

    /**
     * What a ready node still wants known, shown in the {@code /readyz} body (a store outage during which the
     * last plan is served, problems of the plan), or null.
     */
    default String readyNote() {
        return null;
    }

    /** Releases the mass-removal guard of {@code backend} once; false when there is no such backend. */
    boolean releaseGuard(String backend);

    /** The controller's tenant table, or null (tenants not configured, or no controller on this node). */
    default dev.hsdo.controller.TenantBook tenantBook() {
        return null;
    }

    /** Asks for a reconcile round now. */
    void reconcileNow();
}
