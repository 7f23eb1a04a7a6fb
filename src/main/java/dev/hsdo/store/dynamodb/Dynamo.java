package dev.hsdo.store.dynamodb;

import dev.hsdo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The table and the few calls every part makes. Items are keyed by {@code pk} (which part: PREFIX/plan,
 * PREFIX/leader, PREFIX/agents) and {@code sk} (which item of it).
 *
 * <p>The table is set up (created when missing, its TTL attribute enabled) on the first call rather than
 * when the store is opened, and again on the next call while that fails: a process can start while
 * DynamoDB does not answer, and its calls fail with the reason until it does.
 */
final class Dynamo {
    private static final Logger log = LoggerFactory.getLogger(Dynamo.class);
    static final String PK = "pk";
    static final String SK = "sk";
    /** The attribute DynamoDB's TTL feature removes expired items by (epoch seconds). */
    static final String TTL = "ttl";

    final DynamoDbClient client;
    final String table;
    // guarded by this while false: whether the table was found or created and its TTL checked
    private volatile boolean ready;

    Dynamo(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    /** The item at {@code pk}/{@code sk} read consistently, or an empty map. */
    Map<String, AttributeValue> get(String pk, String sk) throws StoreException {
        return call("read " + pk + " " + sk, () -> client.getItem(GetItemRequest.builder().tableName(table)
                .key(key(pk, sk)).consistentRead(true).build()).item());
    }

    /** The result of a DynamoDB call (the table set up first if it is not yet), or a {@link StoreException} saying what failed. */
    <T> T call(String what, Supplier<T> call) throws StoreException {
        if (!ready) setUp();
        return raw(what, call);
    }

    private <T> T raw(String what, Supplier<T> call) throws StoreException {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreException("dynamodb " + table + ": " + what + ": " + e.getMessage(), e);
        }
    }

    /** Finds or creates the table and enables TTL on it; throws (to be tried again on the next call) while DynamoDB does not answer. */
    synchronized void setUp() throws StoreException {
        if (ready) return;
        if (!exists()) create();
        enableTtl();
        ready = true;
    }

    private boolean exists() throws StoreException {
        try {
            raw("describe table", () -> client.describeTable(DescribeTableRequest.builder().tableName(table).build()));
            return true;
        } catch (StoreException e) {
            if (e.getCause() instanceof ResourceNotFoundException) return false;
            throw e;
        }
    }

    private void create() throws StoreException {
        try {
            raw("create table", () -> client.createTable(CreateTableRequest.builder().tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST).build()));
        } catch (StoreException e) {
            // Another member created it at the same moment.
            if (!(e.getCause() instanceof ResourceInUseException)) throw e;
        }
        raw("wait for table", () -> client.waiter().waitUntilTableExists(
                DescribeTableRequest.builder().tableName(table).build()));
    }

    /**
     * Has DynamoDB remove expired agent reports by their {@value #TTL} attribute. Readers skip expired reports
     * anyway, so a role without the TTL permissions still works: it is told, and the items stay.
     */
    private void enableTtl() throws StoreException {
        try {
            TimeToLiveStatus status = raw("describe time to live", () -> client.describeTimeToLive(b -> b.tableName(table))
                    .timeToLiveDescription().timeToLiveStatus());
            if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) return;
            raw("enable time to live", () -> client.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName(TTL).enabled(true))));
        } catch (StoreException e) {
            if (!(e.getCause() instanceof software.amazon.awssdk.awscore.exception.AwsServiceException)) throw e;
            // Answered but refused (a missing permission, TTL being changed right now): not worth failing over.
            log.warn("{}; expired agent reports stay in the table until TTL is enabled on attribute {}", e.getMessage(), TTL);
        }
    }
}
