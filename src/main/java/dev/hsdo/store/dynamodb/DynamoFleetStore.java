package dev.hsdo.store.dynamodb;

import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.FleetStore;
import dev.hsdo.store.LeaderElection;
import dev.hsdo.store.PlanStore;
import dev.hsdo.util.Closer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * A fleet over one DynamoDB table (key {@code pk} + {@code sk}, both strings), created on first use when
 * missing, with TTL enabled on {@code ttl}. Opening it makes no call: a store that does not answer yet fails
 * the calls, each with the reason, until it does. Items, all under {@code prefix}:
 * <pre>
 *   PREFIX/plan    head                          the generation and epoch in force and where its chunks are
 *   PREFIX/plan    chunk/GENERATION/WRITE/INDEX  the compressed plan, in pieces below the item size limit
 *   PREFIX/leader  lock                          the leading controller and its lease's expiry
 *   PREFIX/agents  AGENT-ID                      each agent's report and its expiry
 * </pre>
 */
public final class DynamoFleetStore implements FleetStore {
    /** Plan bytes per item: the item limit is 400 KB including keys and attribute names. */
    public static final int CHUNK_SIZE = 350_000;

    private final Dynamo db;
    private final String prefix;
    private final Clock clock;
    private final DynamoPlanStore plans;
    private final Closer handedOut = new Closer();

    /**
     * @param region       AWS region, or null for the SDK's default chain ({@code us-east-1} with an endpoint override)
     * @param endpoint     endpoint URL override (DynamoDB Local), or null
     * @param pollInterval how often watchers read the plan's head
     * @param timeout      bound on every call
     */
    public DynamoFleetStore(String table, String region, String endpoint, String prefix, Duration pollInterval,
                            Duration timeout, Clock clock) {
        this(table, region, endpoint, prefix, pollInterval, timeout, clock, CHUNK_SIZE);
    }

    DynamoFleetStore(String table, String region, String endpoint, String prefix, Duration pollInterval, Duration timeout,
                     Clock clock, int chunkSize) {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(c -> c.apiCallTimeout(timeout.multipliedBy(2)).apiCallAttemptTimeout(timeout));
        if (region != null) b.region(Region.of(region));
        else if (endpoint != null) b.region(Region.US_EAST_1);
        if (endpoint != null) b.endpointOverride(URI.create(endpoint));
        this.db = new Dynamo(b.build(), table);
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.clock = clock;
        this.plans = new DynamoPlanStore(db, this.prefix + "/plan", this.prefix + "/leader", chunkSize, pollInterval, clock);
    }

    /** The table, for tests in this package. */
    Dynamo dynamo() {
        return db;
    }

    @Override
    public PlanStore plans() {
        return plans;
    }

    @Override
    public LeaderElection election(String candidateId, Duration leaseTtl) {
        return handedOut.add(new DynamoLeaderElection(db, prefix + "/leader", candidateId, leaseTtl, clock));
    }

    @Override
    public AgentRegistry agents(Duration ttl) {
        return new DynamoAgentRegistry(db, prefix + "/agents", ttl, clock);
    }

    @Override
    public void close() {
        // Elections resign and registries stop before the connection they need goes.
        handedOut.close();
        plans.close();
        db.client.close();
    }
}
