package dev.hsdo.store.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.StoreException;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.hsdo.store.etcd.EtcdFleetStore.await;
import static dev.hsdo.store.etcd.EtcdFleetStore.bytes;

/**
 * Agent reports as keys {@code PREFIX/agents/ID} attached to a lease of the registry's TTL: every report
 * renews the lease, and a stopped agent's key goes away with it.
 */
final class EtcdAgentRegistry implements AgentRegistry {
    private static final Logger log = LoggerFactory.getLogger(EtcdAgentRegistry.class);

    private final Client client;
    private final String prefix;
    private final Duration ttl;
    private final Duration timeout;
    // guarded by this: the lease this registry's reports are attached to, 0 before the first
    private long leaseId;

    EtcdAgentRegistry(Client client, String prefix, Duration ttl, Duration timeout) {
        this.client = client;
        this.prefix = prefix;
        this.ttl = ttl;
        this.timeout = timeout;
    }

    @Override
    public synchronized void report(AgentReport report) throws StoreException {
        if (leaseId != 0 && await(() -> client.getLeaseClient().keepAliveOnce(leaseId), timeout, "renew agent lease")
                .getTTL() <= 0) leaseId = 0;
        if (leaseId == 0)
            leaseId = await(() -> client.getLeaseClient().grant(Math.max(1, ttl.toSeconds())), timeout, "grant agent lease").getID();
        String json;
        try {
            json = PlanJson.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        await(() -> client.getKVClient().put(bytes(prefix + report.agentId()), bytes(json),
                PutOption.builder().withLeaseId(leaseId).build()), timeout, "report agent " + report.agentId());
    }

    @Override
    public List<AgentReport> agents() throws StoreException {
        var got = await(() -> client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build()),
                timeout, "list agents");
        List<AgentReport> out = new ArrayList<>();
        for (KeyValue kv : got.getKvs()) {
            try {
                out.add(PlanJson.mapper().readValue(kv.getValue().toString(StandardCharsets.UTF_8), AgentReport.class));
            } catch (JsonProcessingException e) {
                log.warn("etcd {}: not an agent report: {}", kv.getKey().toString(StandardCharsets.UTF_8), e.getOriginalMessage());
            }
        }
        out.sort(Comparator.comparing(AgentReport::agentId));
        return out;
    }

    @Override
    public synchronized void close() {
        // The lease is left to expire: an agent that stops is gone from the fleet view after one TTL.
        leaseId = 0;
    }
}
