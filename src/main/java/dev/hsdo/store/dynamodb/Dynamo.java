package dev.hsdo.store.dynamodb;

import dev.hsdo.store.StoreException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The table and the few calls every part makes. Items are keyed by {@code pk} (which part: PREFIX/plan,
 * PREFIX/leader, PREFIX/agents) and {@code sk} (which item of it).
 */
final class Dynamo {
    static final String PK = "pk";
    static final String SK = "sk";

    final DynamoDbClient client;
    final String table;

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

    /** The result of a DynamoDB call, or a {@link StoreException} saying what failed. */
    <T> T call(String what, Supplier<T> call) throws StoreException {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreException("dynamodb " + table + ": " + what + ": " + e.getMessage(), e);
        }
    }
}
