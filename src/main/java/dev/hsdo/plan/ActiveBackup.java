package dev.hsdo.plan;

import dev.hsdo.model.Endpoint;
import dev.hsdo.model.MetaOptions;
import dev.hsdo.model.ServerPlan;

import java.util.Comparator;
import java.util.Map;

/**
 * Which server of an active/backup backend is planned active (not {@code backup}): the same on every
 * instance that sees the same endpoints. Order: lowest {@code hsdo.priority}, then endpoints that are not
 * backups of their source (a DNS SRV record of the lowest priority), then server name. Pure.
 *
 * <p>The flag only decides HAProxy's first pick while the shared stick table has no entry; once it has one,
 * the entry decides. A server keeps the flag it was added with, because HAProxy cannot change it at
 * runtime: changing it would mean deleting and re-adding the server, cutting its sessions, which is the
 * failback this mode exists to avoid.
 */
final class ActiveBackup {
    private static final Comparator<Endpoint> ORDER = Comparator
            .comparingInt((Endpoint e) -> MetaOptions.priority(e.meta()))
            .thenComparing(Endpoint::backup)
            .thenComparing(e -> ServerNames.of(e.identity()));

    private ActiveBackup() {}

    /** The identity of the endpoint planned active, or null when there is none. */
    static String first(Map<String, Endpoint> byIdentity) {
        return byIdentity.values().stream().min(ORDER).map(Endpoint::identity).orElse(null);
    }

    /** Whether the server of {@code identity} is a backup: an incumbent keeps its flag, a newcomer is one unless first. */
    static boolean isBackup(String identity, String first, ServerPlan incumbent) {
        if (incumbent != null) return incumbent.options().backup();
        return !identity.equals(first);
    }
}
