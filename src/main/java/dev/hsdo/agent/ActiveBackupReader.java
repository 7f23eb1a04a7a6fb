package dev.hsdo.agent;

import dev.hsdo.config.BackendConfig;
import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.StickEntry;
import dev.hsdo.model.BackendPlan;
import dev.hsdo.model.Plan;
import dev.hsdo.model.ServerPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads which server each active/backup backend's shared stick entry names, from {@code show table}. The
 * entry's {@code server_key} (the name, HAProxy 2.6+) is what HAProxy itself follows, so it wins; an entry with
 * only {@code server_id} is named through the plan, whose ids are the same on every instance.
 */
final class ActiveBackupReader {
    private ActiveBackupReader() {}

    /** One element per active/backup backend of {@code config}, in config order; none when there is none. */
    static List<ActiveServer> read(RuntimeApi api, HsdoConfig config, Plan plan) throws RuntimeApiException {
        List<ActiveServer> out = new ArrayList<>();
        for (BackendConfig b : config.backends()) {
            if (!b.activeBackup()) continue;
            out.add(of(b.name(), api.showTable(b.name()), plan.backend(b.name())));
        }
        return List.copyOf(out);
    }

    /** The active server of {@code backend} according to its table {@code entries}. Pure. */
    static ActiveServer of(String backend, List<StickEntry> entries, BackendPlan plan) {
        StickEntry e = entries.stream().filter(x -> x.serverId() != null || x.serverKey() != null).findFirst().orElse(null);
        if (e == null) return new ActiveServer(backend, null, null);
        String name = e.serverKey();
        Integer id = e.serverId();
        ServerPlan byName = plan == null || name == null ? null : plan.server(name);
        if (byName != null) id = byName.id();
        if (name == null && plan != null && id != null)
            for (ServerPlan s : plan.servers()) if (s.id() == id) name = s.name();
        return new ActiveServer(backend, name, id);
    }
}
