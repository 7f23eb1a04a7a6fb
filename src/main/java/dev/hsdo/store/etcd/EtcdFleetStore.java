package dev.hsdo.store.etcd;

import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.LeaderElection;
import dev.hsdo.store.PlanStore;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.Closer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A fleet over etcd (v3 API): one client for the plan, the leader key and the agent keys, all under
 * {@code prefix}:
 * <pre>
 *   PREFIX/plan         the plan, gzip-compressed JSON with its store epoch (one key: written and read whole)
 *   PREFIX/generation   its generation in decimal, the compare-and-set target
 *   PREFIX/epoch        the store epoch in decimal (milliseconds since 1970 when the store was written empty)
 *   PREFIX/leader       the leading controller's id, attached to its lease
 *   PREFIX/agents/ID    each agent's report, attached to that agent's lease
 * </pre>
 */
public final class EtcdFleetStore implements FleetStore {
    /**
     * How long a call may go unanswered before it is issued once more, for the first {@value #SHORT_ATTEMPTS}
     * attempts (about one raft election); later ones come twice as far apart each time.
     */
    static final long ATTEMPT_MS = 300;
    static final int SHORT_ATTEMPTS = 4;
    private static final long RETRY_DELAY_MS = 100;

    private final Client client;
    private final String prefix;
    private final Duration timeout;
    private final EtcdPlanStore plans;
    private final Closer handedOut = new Closer();

    /**
     * @param endpoints    client URLs, e.g. {@code http://127.0.0.1:2379}
     * @param prefix       key prefix, e.g. {@code /hsdo/prod}; several fleets can share a cluster
     * @param timeout      bound on every request
     * @param resyncPeriod how often the plan is re-read besides the watch (catch-up after a lost stream)
     */
    public EtcdFleetStore(List<String> endpoints, String prefix, Duration timeout, Duration resyncPeriod) {
        this(endpoints, prefix, timeout, resyncPeriod, Clock.systemUTC());
    }

    /**
     * As above, with the clock that dates a new store epoch (a write into an empty store).
     */
    public EtcdFleetStore(List<String> endpoints, String prefix, Duration timeout, Duration resyncPeriod, Clock clock) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("etcd: at least one endpoint is required");
        this.client = Client.builder().endpoints(endpoints.toArray(String[]::new))
                // Fail fast while a node is down so the request is retried on another, within our timeout.
                .waitForReady(false)
                .connectTimeout(timeout)
                // jetcd retries an unavailable member itself, on the next one; within our timeout (it must exceed
                // the first delay, or every call fails).
                .retryDelay(RETRY_DELAY_MS)
                .retryMaxDelay(4 * RETRY_DELAY_MS)
                .retryMaxDuration(timeout.compareTo(Duration.ofMillis(2 * RETRY_DELAY_MS)) > 0 ? timeout
                        : Duration.ofMillis(2 * RETRY_DELAY_MS))
                // A member that stops answering without closing its connections (a pause, a partition) is
                // found by keepalive pings, so watches move to another member too.
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(3))
                // A plan of many thousand servers can exceed gRPC's default 4 MiB inbound limit.
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.timeout = timeout;
        this.plans = new EtcdPlanStore(client, key("/plan"), key("/generation"), key("/epoch"), key("/leader"), timeout, resyncPeriod, clock);
    }

    @Override
    public PlanStore plans() {
        return plans;
    }

    @Override
    public LeaderElection election(String candidateId, Duration leaseTtl) {
        return handedOut.add(new EtcdLeaderElection(client, key("/leader"), candidateId, leaseTtl, timeout));
    }

    @Override
    public AgentRegistry agents(Duration ttl) {
        return handedOut.add(new EtcdAgentRegistry(client, prefix + "/agents/", ttl, timeout));
    }

    private ByteSequence key(String suffix) {
        return bytes(prefix + suffix);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /**
     * The result of an etcd call, or a {@link StoreException} saying what failed. A call left unanswered for
     * {@value #ATTEMPT_MS} ms is issued once more beside the first (and again, at growing intervals, within
     * {@code timeout}); the first answer of any wins. A request caught by the death of the raft leader (its
     * proposal lost with it) or sent to a member that stopped answering would otherwise wait out the whole
     * timeout, while a new leader is elected in about one election timeout; a store that is merely slow still
     * answers the first attempt. Every call made here is safe to issue twice: reads, lease grants and
     * renewals, puts of the same value, and compare-and-set transactions whose callers recognise their own
     * earlier write.
     */
    @SuppressWarnings("unchecked")
    static <T> T await(Supplier<CompletableFuture<T>> call, Duration timeout, String what) throws StoreException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long interval = TimeUnit.MILLISECONDS.toNanos(ATTEMPT_MS);
        List<CompletableFuture<T>> attempts = new ArrayList<>();
        try {
            while (true) {
                try {
                    attempts.add(call.get());
                } catch (RuntimeException e) {
                    throw new StoreException("etcd: " + what + ": " + e.getMessage(), e);
                }
                try {
                    return (T) CompletableFuture.anyOf(attempts.toArray(CompletableFuture[]::new))
                            .get(Math.max(1, Math.min(interval, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline >= 0)
                        throw new StoreException("etcd: " + what + ": no answer within " + timeout.toMillis() + " ms ("
                                + attempts.size() + (attempts.size() == 1 ? " attempt)" : " attempts)"), e);
                    // A lost raft leader takes about an election to replace: try again soon during it, then back off.
                    if (attempts.size() >= SHORT_ATTEMPTS) interval *= 2;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StoreException("etcd: " + what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("etcd: " + what + ": interrupted", e);
        } finally {
            for (CompletableFuture<T> f : attempts) f.cancel(true);
        }
    }

    @Override
    public void close() {
        // Elections resign and registries stop before the connection they need goes.
        handedOut.close();
        plans.close();
        client.close();
    }
}
