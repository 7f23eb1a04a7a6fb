package dev.hsdo.store.dynamodb;

import dev.hsdo.store.Fence;
import dev.hsdo.store.LeaderElection;
import dev.hsdo.store.LeaderState;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.WakeableLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.hsdo.store.dynamodb.Dynamo.PK;
import static dev.hsdo.store.dynamodb.Dynamo.SK;
import static dev.hsdo.store.dynamodb.Dynamo.n;
import static dev.hsdo.store.dynamodb.Dynamo.s;

/**
 * Leadership by a lock item with an expiry: a candidate takes the item when it is absent, expired or
 * already its own, with a conditional write; the leader renews it every quarter of the TTL. Expiry is
 * judged by the candidates' clocks, so their skew must stay well below the TTL (NTP keeps it to
 * milliseconds). A leader that cannot renew steps down after half the TTL, before anyone can take over; its
 * publishes check in their own transaction that the lock is still its own and unexpired ({@link #fence()}).
 */
final class DynamoLeaderElection implements LeaderElection {
    private static final Logger log = LoggerFactory.getLogger(DynamoLeaderElection.class);
    /** The sort key of the lock item; publishes fenced by it check it in their transaction. */
    static final String LOCK = "lock";

    private final Dynamo db;
    private final String pk;
    private final String candidate;
    private final Duration ttl;
    private final Clock clock;
    private final LeaderState state;
    // confined to the loop thread: when the lock was last written by us (clock millis)
    private long renewedAt;
    private volatile WakeableLoop loop;

    DynamoLeaderElection(Dynamo db, String pk, String candidate, Duration ttl, Clock clock) {
        if (ttl.toSeconds() < 2) throw new IllegalArgumentException("leader lease TTL must be at least 2s, got " + ttl);
        this.db = db;
        this.pk = pk;
        this.candidate = candidate;
        this.ttl = ttl;
        this.clock = clock;
        this.state = new LeaderState(candidate, pk, log);
    }

    @Override
    public void start(Runnable onChange) {
        state.onChange(onChange);
        loop = new WakeableLoop("hsdo-election", ttl.dividedBy(4), this::tick);
        loop.wake();
    }

    /** One campaign or renewal round; package-visible so tests can drive it with a fake clock. */
    void tick() {
        long now = clock.millis();
        Map<String, AttributeValue> item = Map.of(PK, s(pk), SK, s(LOCK), "holder", s(candidate), "expiresAt", n(now + ttl.toMillis()));
        try {
            db.call("campaign", () -> db.client.putItem(PutItemRequest.builder().tableName(db.table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #exp < :now OR #holder = :me")
                    .expressionAttributeNames(Map.of("#pk", PK, "#exp", "expiresAt", "#holder", "holder"))
                    .expressionAttributeValues(Map.of(":now", n(now), ":me", s(candidate)))
                    .build()));
            renewedAt = now;
            state.set(true, candidate);
        } catch (StoreException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                state.set(false, holder());
            } else if (state.isLeader() && clock.millis() - renewedAt > ttl.toMillis() / 2) {
                log.warn("{}: stepping down, lock not renewed for {} ms", e.getMessage(), clock.millis() - renewedAt);
                state.set(false, null);
            } else {
                log.debug("{}", e.getMessage());
            }
        }
    }

    private String holder() {
        try {
            Map<String, AttributeValue> lock = db.get(pk, LOCK);
            return lock.isEmpty() || n(lock, "expiresAt") < clock.millis() ? null : lock.get("holder").s();
        } catch (StoreException e) {
            return state.leaderId();
        }
    }

    @Override
    public boolean isLeader() {
        return state.isLeader();
    }

    /** The holder's fence: the plan store checks the lock item's holder and expiry, so it needs no token. */
    @Override
    public Fence fence() {
        return state.isLeader() ? new Fence(candidate, 0) : null;
    }

    @Override
    public void lost(Fence refused) {
        if (refused == null || !refused.holder().equals(candidate) || !state.isLeader()) return;
        state.set(false, null);
        WakeableLoop l = loop;
        if (l != null) l.wake();
    }

    @Override
    public String leaderId() {
        return state.leaderId();
    }

    @Override
    public void close() {
        WakeableLoop l = loop;
        if (l != null) l.close();
        if (!state.isLeader()) return;
        state.resigned();
        try {
            db.call("resign", () -> db.client.deleteItem(DeleteItemRequest.builder().tableName(db.table)
                    .key(Dynamo.key(pk, LOCK)).conditionExpression("#holder = :me")
                    .expressionAttributeNames(Map.of("#holder", "holder"))
                    .expressionAttributeValues(Map.of(":me", s(candidate))).build()));
        } catch (StoreException e) {
            log.warn("{}: the lock will expire on its own", e.getMessage());
        }
    }
}
