package dev.ledgerhook.ledger;

import static dev.ledgerhook.ledger.EventAttributes.DELIVERIES;
import static dev.ledgerhook.ledger.EventAttributes.LEASE_UNTIL;
import static dev.ledgerhook.ledger.EventAttributes.PAYLOAD_HASH;
import static dev.ledgerhook.ledger.EventAttributes.PK;
import static dev.ledgerhook.ledger.EventAttributes.RECEIVED_AT;
import static dev.ledgerhook.ledger.EventAttributes.STATUS;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The ingest side of the event state machine: claim a key, confirm the send, or release the claim.
 *
 * <p>A new event costs one conditional PutItem; a duplicate costs the same single call, because the
 * failed condition hands back the held item ({@code ALL_OLD}) and the outcome is decided from it.
 * Only a RECEIVED item whose lease ran out costs a second call, the take-over.
 */
@ApplicationScoped
public class EventLedger {

    private static final Map<String, String> STATUS_NAME = Map.of("#status", STATUS);

    private final DynamoDbClient dynamoDb;
    private final StackResources resources;

    public EventLedger(DynamoDbClient dynamoDb, StackResources resources) {
        this.dynamoDb = dynamoDb;
        this.resources = resources;
    }

    public ClaimOutcome claim(ClaimRequest request) {
        try {
            dynamoDb.putItem(put -> put.tableName(resources.eventsTable())
                    .item(newItem(request))
                    .conditionExpression(LedgerConditions.CLAIM)
                    .expressionAttributeValues(Map.of(":now", n(request.now().getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new ClaimOutcome.Claimed(request.id(), request.leaseUntil(), false);
        } catch (ConditionalCheckFailedException held) {
            return resolveHeld(request, held.item(), true);
        }
    }

    /**
     * Marks the event ENQUEUED after its send succeeded, so later duplicates answer 200 at once.
     * Best effort: when it fails, duplicates see RECEIVED and answer 503 until the lease runs out,
     * then take over and re-enqueue, which the worker's idempotency absorbs. Returns whether it held.
     */
    public boolean markEnqueued(ClaimOutcome.Claimed claim) {
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.eventsTable())
                    .key(key(claim.id()))
                    .updateExpression("SET #status = :enqueued")
                    .conditionExpression(LedgerConditions.OWN_CLAIM)
                    .expressionAttributeNames(STATUS_NAME)
                    .expressionAttributeValues(Map.of(":enqueued", s(EventStatus.ENQUEUED.name()),
                            ":received", s(EventStatus.RECEIVED.name()), ":lease", n(claim.leaseUntil()))));
            return true;
        } catch (ConditionalCheckFailedException movedOn) {
            return false;
        }
    }

    /**
     * Deletes a claim whose send failed, so the provider's retry claims it afresh (invariant 2).
     * Only while the claim is still ours; if this fails too, the lease running out has the same effect.
     */
    public boolean release(ClaimOutcome.Claimed claim) {
        try {
            dynamoDb.deleteItem(delete -> delete.tableName(resources.eventsTable())
                    .key(key(claim.id()))
                    .conditionExpression(LedgerConditions.OWN_CLAIM)
                    .expressionAttributeNames(STATUS_NAME)
                    .expressionAttributeValues(Map.of(":received", s(EventStatus.RECEIVED.name()),
                            ":lease", n(claim.leaseUntil()))));
            return true;
        } catch (ConditionalCheckFailedException movedOn) {
            return false;
        }
    }

    /**
     * Decides from the held item. The payload check comes first: a different payload under a held
     * key is a collision whatever the holder's state, and is never re-enqueued under that key.
     */
    private ClaimOutcome resolveHeld(ClaimRequest request, Map<String, AttributeValue> held, boolean mayTakeOver) {
        if (held == null || held.isEmpty()) {
            // The item vanished between the condition check and now (TTL deletion): nothing is known,
            // so make the provider come back rather than guess.
            return new ClaimOutcome.InFlight(request.id(), request.now().toEpochMilli());
        }
        String storedHash = held.getOrDefault(PAYLOAD_HASH, s("")).s();
        long firstReceivedAt = number(held, RECEIVED_AT);
        if (!storedHash.equals(request.payloadHash())) {
            return new ClaimOutcome.Collision(request.id(), storedHash, request.payloadHash(), firstReceivedAt);
        }
        EventStatus status = EventStatus.valueOf(held.get(STATUS).s());
        if (status != EventStatus.RECEIVED) {
            return new ClaimOutcome.Duplicate(request.id(), status, firstReceivedAt, number(held, DELIVERIES));
        }
        long leaseUntil = number(held, LEASE_UNTIL);
        if (leaseUntil >= request.now().toEpochMilli() || !mayTakeOver) {
            return new ClaimOutcome.InFlight(request.id(), leaseUntil);
        }
        return takeOver(request);
    }

    /**
     * The holder never confirmed its send and its lease ran out (it crashed, or its send and its
     * release both failed). Two deliveries may race here; the condition lets exactly one win, and
     * the loser reads the winner's fresh lease and answers InFlight.
     */
    private ClaimOutcome takeOver(ClaimRequest request) {
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.eventsTable())
                    .key(key(request.id()))
                    .updateExpression("SET leaseUntil = :lease ADD deliveries :one")
                    .conditionExpression(LedgerConditions.LEASE_TAKEOVER)
                    .expressionAttributeNames(STATUS_NAME)
                    .expressionAttributeValues(Map.of(":received", s(EventStatus.RECEIVED.name()),
                            ":now", n(request.now().toEpochMilli()), ":lease", n(request.leaseUntil()), ":one", n(1)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new ClaimOutcome.Claimed(request.id(), request.leaseUntil(), true);
        } catch (ConditionalCheckFailedException lost) {
            return resolveHeld(request, lost.item(), false);
        }
    }

    private static Map<String, AttributeValue> newItem(ClaimRequest request) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(request.id().pk()));
        item.put(STATUS, s(EventStatus.RECEIVED.name()));
        item.put(PAYLOAD_HASH, s(request.payloadHash()));
        item.put(RECEIVED_AT, n(request.now().toEpochMilli()));
        item.put(LEASE_UNTIL, n(request.leaseUntil()));
        item.put(EventAttributes.EXPIRES_AT, n(request.expiresAt()));
        item.put(DELIVERIES, n(1));
        item.put(EventAttributes.TENANT, s(request.id().tenant()));
        item.put(EventAttributes.SOURCE, s(request.id().source()));
        item.put(EventAttributes.EVENT_KEY, s(request.id().eventKey()));
        item.put(EventAttributes.EVENT_TYPE, s(request.eventType()));
        item.put(EventAttributes.VERSION, n(request.version()));
        return item;
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
