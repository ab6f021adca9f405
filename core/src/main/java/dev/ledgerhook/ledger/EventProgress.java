package dev.ledgerhook.ledger;

import static dev.ledgerhook.ledger.EventAttributes.PK;
import static dev.ledgerhook.ledger.EventAttributes.STATUS;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The worker side of the event state machine: PROCESSING, then COMPLETED, SKIPPED or FAILED.
 * A replayed or redelivered event is safe whatever state it finds: a finished one is acknowledged
 * without work; a PROCESSING one (a worker died between its accounting call and its COMPLETED
 * mark) is processed again, which the accounting port's idempotency turns into no second effect.
 */
@ApplicationScoped
public class EventProgress {

    /** The outcome of marking an event PROCESSING. */
    public record Start(boolean proceed, Optional<EventStatus> finishedAs, long attempt) {
    }

    private static final Map<String, String> NAMES = Map.of("#status", STATUS);

    private final DynamoDbClient dynamoDb;
    private final StackResources resources;

    public EventProgress(DynamoDbClient dynamoDb, StackResources resources) {
        this.dynamoDb = dynamoDb;
        this.resources = resources;
    }

    /** One conditional write: PROCESSING with the attempt counted, unless COMPLETED or SKIPPED already. */
    public Start start(EventId id, long nowMillis) {
        try {
            Map<String, AttributeValue> after = dynamoDb.updateItem(update -> update.tableName(resources.eventsTable())
                    .key(key(id))
                    .updateExpression("SET #status = :processing, startedAt = :now ADD attempts :one")
                    .conditionExpression("attribute_not_exists(pk) OR NOT (#status IN (:completed, :skipped))")
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(Map.of(":processing", s(EventStatus.PROCESSING.name()), ":now", n(nowMillis),
                            ":one", n(1), ":completed", s(EventStatus.COMPLETED.name()),
                            ":skipped", s(EventStatus.SKIPPED.name())))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return new Start(true, Optional.empty(), Long.parseLong(after.get("attempts").n()));
        } catch (ConditionalCheckFailedException finished) {
            Map<String, AttributeValue> item = finished.item();
            long attempts = item.containsKey("attempts") ? Long.parseLong(item.get("attempts").n()) : 0;
            return new Start(false, Optional.of(EventStatus.valueOf(item.get(STATUS).s())), attempts);
        }
    }

    public void completed(EventId id, String accountingIds, long latencyMs) {
        finish(id, EventStatus.COMPLETED, Map.of("accountingIds", s(accountingIds), "latencyMs", n(latencyMs)));
    }

    public void skipped(EventId id, String reason) {
        finish(id, EventStatus.SKIPPED, Map.of("reason", s(reason)));
    }

    public void failed(EventId id, String code, String message) {
        finish(id, EventStatus.FAILED, Map.of("errorCode", s(code), "errorMessage", s(message)));
    }

    /** Records a transient failure's error without leaving PROCESSING: the next attempt is SQS's. */
    public void lastError(EventId id, String code, String message) {
        dynamoDb.updateItem(update -> update.tableName(resources.eventsTable()).key(key(id))
                .updateExpression("SET errorCode = :code, errorMessage = :message")
                .expressionAttributeValues(Map.of(":code", s(code), ":message", s(message))));
    }

    public Map<String, AttributeValue> read(EventId id) {
        return dynamoDb.getItem(get -> get.tableName(resources.eventsTable()).consistentRead(true).key(key(id))).item();
    }

    private void finish(EventId id, EventStatus status, Map<String, AttributeValue> fields) {
        StringBuilder expression = new StringBuilder("SET #status = :status, finishedAt = :at");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":status", s(status.name()));
        values.put(":at", n(System.currentTimeMillis()));
        fields.forEach((name, value) -> {
            expression.append(", ").append(name).append(" = :").append(name);
            values.put(":" + name, value);
        });
        dynamoDb.updateItem(update -> update.tableName(resources.eventsTable()).key(key(id))
                .updateExpression(expression.toString())
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(values));
    }

    private static Map<String, AttributeValue> key(EventId id) {
        return Map.of(PK, s(id.pk()));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
