package dev.ledgerhook.ledger;

import static dev.ledgerhook.ledger.EventAttributes.DEAD_LETTERED;
import static dev.ledgerhook.ledger.EventAttributes.PK;
import static dev.ledgerhook.ledger.EventAttributes.STATUS;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The worker side of the event state machine: PROCESSING, then COMPLETED, SKIPPED or FAILED, each
 * finish only from PROCESSING. Every write is conditional, and the race windows are these:
 * <ul>
 * <li><b>The claim is gone.</b> The ingest's send timed out but landed, so it released (deleted) its
 * claim and answered 503. {@link #start} then writes the claim's own attributes (payload hash, TTL,
 * first receipt) from the envelope, where missing, in the same write: the record still expires, and
 * the provider's retry is a duplicate of it, not a key collision. Not writing it and dropping the
 * message instead would lose the event whenever that 503 was the provider's last attempt. If the
 * retry claims the key first, its claim is kept as it is and both messages meet the cases below.</li>
 * <li><b>Two deliveries at once</b> (SQS redelivery, a take-over's re-enqueue, a claim retried as
 * above): both may be PROCESSING; the accounting port's idempotency gives one effect, and since a
 * finish holds only from PROCESSING the first finish wins and the other is told what it found, so a
 * late FAILED never overwrites COMPLETED and dead-letters nothing.</li>
 * <li><b>Dead-lettered.</b> FAILED first, then the DLQ send, then {@link #deadLettered} records the
 * message id. A redelivery of a recorded message (its acknowledgement was lost) is not started: its
 * copy in the DLQ carries the event on. A crash before the record lets the redelivery run again (at
 * worst a second DLQ copy, which a replay absorbs), never drops it. An operator's replay is a new
 * message id, so it runs.</li>
 * <li><b>A PROCESSING record</b> (a worker died between its accounting call and its COMPLETED mark) is
 * processed again, which the accounting port's idempotency turns into no second effect.</li>
 * </ul>
 */
@ApplicationScoped
public class EventProgress {

    /** The outcome of marking an event PROCESSING; when it may not proceed, why not. */
    public record Start(boolean proceed, String skipReason, long attempt) {
    }

    /** How a finishing write went: it held, or the state it found instead (empty: the record is gone). */
    public record Finish(boolean held, Optional<EventStatus> found) {
    }

    private static final String START_CONDITION = "attribute_not_exists(pk) OR NOT (#status IN (:completed, :skipped)"
            + " OR contains(" + DEAD_LETTERED + ", :messageId))";
    private static final String WHILE_PROCESSING = "#status = :processing";
    private static final Map<String, String> NAMES = Map.of("#status", STATUS);

    private final DynamoDbClient dynamoDb;
    private final StackResources resources;

    public EventProgress(DynamoDbClient dynamoDb, StackResources resources) {
        this.dynamoDb = dynamoDb;
        this.resources = resources;
    }

    /**
     * One conditional write: PROCESSING with the attempt counted and the claim's attributes where missing,
     * unless the event is COMPLETED or SKIPPED, or this very message was dead-lettered already.
     */
    public Start start(EventEnvelope event, String messageId, long nowMillis) {
        StringBuilder expression = new StringBuilder("SET #status = :processing, startedAt = :now");
        Map<String, String> names = new HashMap<>(NAMES);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":processing", s(EventStatus.PROCESSING.name()),
                ":now", n(nowMillis), ":one", n(1), ":completed", s(EventStatus.COMPLETED.name()),
                ":skipped", s(EventStatus.SKIPPED.name()), ":messageId", s(messageId)));
        claimAttributes(event).forEach((name, value) -> {
            expression.append(", #").append(name).append(" = if_not_exists(#").append(name).append(", :").append(name).append(')');
            names.put("#" + name, name);
            values.put(":" + name, value);
        });
        try {
            Map<String, AttributeValue> after = dynamoDb.updateItem(update -> update.tableName(resources.eventsTable())
                    .key(key(event.id()))
                    .updateExpression(expression.append(" ADD attempts :one").toString())
                    .conditionExpression(START_CONDITION)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return new Start(true, "", Long.parseLong(after.get("attempts").n()));
        } catch (ConditionalCheckFailedException refused) {
            Map<String, AttributeValue> item = refused.item();
            String status = item.get(STATUS).s();
            boolean finished = status.equals(EventStatus.COMPLETED.name()) || status.equals(EventStatus.SKIPPED.name());
            return new Start(false, finished ? "already " + status : "message already dead-lettered (" + status + ")",
                    number(item, "attempts"));
        }
    }

    public Finish completed(EventId id, String accountingIds, long latencyMs) {
        return finish(id, EventStatus.COMPLETED, Map.of("accountingIds", s(accountingIds), "latencyMs", n(latencyMs)));
    }

    public Finish skipped(EventId id, String reason) {
        return finish(id, EventStatus.SKIPPED, Map.of("reason", s(reason)));
    }

    /** FAILED with the reason; the caller dead-letters the message only if this held, then calls {@link #deadLettered}. */
    public Finish failed(EventId id, String code, String message) {
        return finish(id, EventStatus.FAILED, Map.of("errorCode", s(code), "errorMessage", s(message)));
    }

    /** Records that this SQS message's copy is in the DLQ, so its redelivery is not started again. */
    public void deadLettered(EventId id, String messageId) {
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.eventsTable()).key(key(id))
                    .updateExpression("ADD " + DEAD_LETTERED + " :messageIds")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":messageIds", AttributeValue.fromSs(List.of(messageId)))));
        } catch (ConditionalCheckFailedException gone) {
            // the record expired meanwhile: nothing left to guard
        }
    }

    /** Records a transient failure's error while PROCESSING (never on a finished or vanished record). */
    public void lastError(EventId id, String code, String message) {
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.eventsTable()).key(key(id))
                    .updateExpression("SET errorCode = :code, errorMessage = :message")
                    .conditionExpression(WHILE_PROCESSING)
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(Map.of(":code", s(code), ":message", s(message),
                            ":processing", s(EventStatus.PROCESSING.name()))));
        } catch (ConditionalCheckFailedException finished) {
            // another delivery finished it meanwhile; this message's redelivery will find that
        }
    }

    public Map<String, AttributeValue> read(EventId id) {
        return dynamoDb.getItem(get -> get.tableName(resources.eventsTable()).consistentRead(true).key(key(id))).item();
    }

    /** Leaves PROCESSING for {@code status}; holds only from PROCESSING, so the first finish of an event wins. */
    private Finish finish(EventId id, EventStatus status, Map<String, AttributeValue> fields) {
        StringBuilder expression = new StringBuilder("SET #status = :status, finishedAt = :at");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":status", s(status.name()));
        values.put(":at", n(System.currentTimeMillis()));
        values.put(":processing", s(EventStatus.PROCESSING.name()));
        fields.forEach((name, value) -> {
            expression.append(", ").append(name).append(" = :").append(name);
            values.put(":" + name, value);
        });
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.eventsTable()).key(key(id))
                    .updateExpression(expression.toString())
                    .conditionExpression(WHILE_PROCESSING)
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Finish(true, Optional.empty());
        } catch (ConditionalCheckFailedException notProcessing) {
            Map<String, AttributeValue> found = notProcessing.item();
            return new Finish(false, found == null || !found.containsKey(STATUS) ? Optional.empty()
                    : Optional.of(EventStatus.valueOf(found.get(STATUS).s())));
        }
    }

    /** What the ingest's claim holds (see EventLedger), from the envelope: written by the worker only where missing. */
    private static Map<String, AttributeValue> claimAttributes(EventEnvelope event) {
        Map<String, AttributeValue> claim = new LinkedHashMap<>();
        claim.put(EventAttributes.PAYLOAD_HASH, s(event.payloadHash()));
        claim.put(EventAttributes.EXPIRES_AT, n(event.expiresAt()));
        claim.put(EventAttributes.RECEIVED_AT, n(event.receivedAt()));
        claim.put(EventAttributes.TENANT, s(event.id().tenant()));
        claim.put(EventAttributes.SOURCE, s(event.id().source()));
        claim.put(EventAttributes.EVENT_KEY, s(event.id().eventKey()));
        claim.put(EventAttributes.EVENT_TYPE, s(event.eventType()));
        claim.put(EventAttributes.VERSION, n(event.version()));
        return claim;
    }

    private static Map<String, AttributeValue> key(EventId id) {
        return Map.of(PK, s(id.pk()));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
