package dev.hsdo.plan;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.FrontendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.config.UseBackend;
import dev.hsdo.model.Plan;

/** A plan's consistency check before it is published: every reference it makes resolves. */
public final class PlanCheck {
    private PlanCheck() {}

    /**
     * Throws {@link IllegalStateException} naming the first broken reference: a configured backend missing
     * from the plan, a plan backend the config does not know, or a frontend whose default backend is absent.
     */
    public static void check(Plan plan, HsdoConfig config) {
        for (BackendConfig be : config.backends())
            if (plan.backend(be.name()) == null)
                throw new IllegalStateException("plan " + plan.generation() + " lacks configured backend " + be.name());
        plan.backends().forEach(b -> {
            if (config.backend(b.name()) == null)
                throw new IllegalStateException("plan " + plan.generation() + " has unknown backend " + b.name());
        });
        for (FrontendConfig fe : config.frontends()) {
            if (plan.backend(fe.defaultBackend()) == null)
                throw new IllegalStateException("frontend " + fe.name() + " uses backend " + fe.defaultBackend()
                        + " which plan " + plan.generation() + " lacks");
            for (UseBackend rule : fe.useBackends())
                if (plan.backend(rule.backend()) == null)
                    throw new IllegalStateException("frontend " + fe.name() + " routes to backend " + rule.backend()
                            + " which plan " + plan.generation() + " lacks");
        }
    }
}
