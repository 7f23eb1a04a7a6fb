package dev.hsdo.store.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hsdo.store.AgentRegistry;
import dev.hsdo.store.AgentReport;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.hsdo.store.dynamodb.Dynamo.PK;
import static dev.hsdo.store.dynamodb.Dynamo.SK;
import static dev.hsdo.store.dynamodb.Dynamo.n;
import static dev.hsdo.store.dynamodb.Dynamo.s;

/**
 * Agent reports as items {@code PREFIX/agents} / {@code ID} with an expiry: readers skip expired items at
 * once, and the {@code ttl} attribute (epoch seconds) lets DynamoDB's TTL feature remove them later.
 */
final class DynamoAgentRegistry implements AgentRegistry {
    private static final Logger log = LoggerFactory.getLogger(DynamoAgentRegistry.class);

    private final Dynamo db;
    private final String pk;
    private final Duration ttl;
    private final Clock clock;

    DynamoAgentRegistry(Dynamo db, String pk, Duration ttl, Clock clock) {
        this.db = db;
        this.pk = pk;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public void report(AgentReport report) throws StoreException {
        String json;
        try {
            json = PlanJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long expires = clock.millis() + ttl.toMillis();
        Map<String, AttributeValue> item = Map.of(PK, s(pk), SK, s(report.agentId()), "report", s(json),
                "expiresAt", n(expires), Dynamo.TTL, n(expires / 1000 + 1));
        db.call("report agent " + report.agentId(),
                () -> db.client.putItem(PutItemRequest.builder().tableName(db.table).item(item).build()));
    }

    @Override
    public List<AgentReport> agents() throws StoreException {
        QueryRequest q = QueryRequest.builder().tableName(db.table).consistentRead(true)
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", s(pk))).build();
        List<Map<String, AttributeValue>> items = db.call("list agents", () -> db.client.queryPaginator(q).items().stream().toList());
        long now = clock.millis();
        List<AgentReport> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            if (n(item, "expiresAt") < now) continue;
            try {
                out.add(PlanJson.mapper().readValue(item.get("report").s(), AgentReport.class));
            } catch (JsonProcessingException | NullPointerException e) {
                log.warn("dynamodb {}: item {} is not an agent report", db.table, item.get(SK));
            }
        }
        out.sort(Comparator.comparing(AgentReport::agentId));
        return out;
    }

    @Override
    public void close() {
        // The item expires on its own: an agent that stops leaves the fleet view after one TTL.
    }
}
