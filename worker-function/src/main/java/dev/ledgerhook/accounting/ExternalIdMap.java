package dev.ledgerhook.accounting;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The external-id map in DynamoDB. Every write is conditional:
 * <ul>
 * <li>{@link #reserve}: the first command for a source object fixes the create's requestid before
 * any create is sent, so racing workers and retries after a crash all send the same requestid and
 * QuickBooks returns one entity;</li>
 * <li>{@link #claimVersion}: a write first claims the entity for one holder, so an older event
 * never reaches the accounting system after a newer one (invariant 9); only the holder renews or
 * releases the claim;</li>
 * <li>{@link #recordApplied}: the applied order and SyncToken move forward, never back;</li>
 * <li>{@link #nextGeneration}: a write QuickBooks refused for good retires its requestids.</li>
 * </ul>
 */
@ApplicationScoped
public class ExternalIdMap {

    private final DynamoDbClient dynamoDb;
    private final StackResources resources;

    public ExternalIdMap(DynamoDbClient dynamoDb, StackResources resources) {
        this.dynamoDb = dynamoDb;
        this.resources = resources;
    }

    public Optional<ExternalId> find(String tenant, EntityType type, String sourceObjectId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table()).consistentRead(true)
                .key(key(ExternalId.key(tenant, type, sourceObjectId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toExternalId(tenant, type, sourceObjectId, item));
    }

    /** Reserves the row with this requestid, or returns the row that already exists. */
    public ExternalId reserve(String tenant, EntityType type, String sourceObjectId, String requestId) {
        ExternalId fresh = new ExternalId(tenant, type, sourceObjectId, requestId, Optional.empty(), "", -1, -1, 0);
        Map<String, AttributeValue> item = new HashMap<>(key(fresh.key()));
        item.put("tenant", s(tenant));
        item.put("entityType", s(type.apiName()));
        item.put("sourceObjectId", s(sourceObjectId));
        item.put("requestId", s(requestId));
        item.put("lastVersion", n(-1));
        try {
            dynamoDb.putItem(put -> put.tableName(table()).item(item).conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return fresh;
        } catch (ConditionalCheckFailedException exists) {
            return toExternalId(tenant, type, sourceObjectId, exists.item());
        }
    }

    /** What a version claim came to. */
    public enum Claim {
        /** This version may be applied now, by this holder alone. */
        CLAIMED,
        /** This version is older than one applied or being applied: stand down. */
        SUPERSEDED,
        /** This or an older version is being applied by another holder: retry after it (transient). */
        BUSY
    }

    /** An event's place in its entity's order: version, then tie-break (see {@link AccountingCommand#tieBreak()}). */
    public record Order(long version, long tieBreak) {

        /** Whether this comes before {@code other}: an older version, or the same one with a lower tie-break. */
        public boolean isOlderThan(Order other) {
            return version < other.version || (version == other.version && tieBreak < other.tieBreak);
        }
    }

    /**
     * The condition under which {@code :v}/{@code :t} is not older than what was applied. A row
     * written before tie-breaks existed has none: any tie-break then counts as not older.
     */
    private static final String NOT_OLDER = "(lastVersion < :v OR (lastVersion = :v AND"
            + " (attribute_not_exists(lastTieBreak) OR lastTieBreak <= :t)))";

    /**
     * Claims the entity for one holder ({@code owner}, unique per attempt) under a lease. One
     * holder at a time, whatever its version, is what keeps invariant 9 across systems: an older
     * update cannot reach QuickBooks after a newer one, because the newer one cannot start while the
     * older holds the claim, and the older cannot start once the newer holds it or was applied. A
     * second copy of the same version is not let in beside the first (it would release the
     * first's claim when it failed, letting an older version in while the first still writes): it
     * waits like anyone else. A lease left by a crashed worker runs out.
     */
    public Claim claimVersion(ExternalId row, Order order, String owner, long nowMillis, long leaseMillis) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("SET pendingVersion = :v, pendingTieBreak = :t, pendingOwner = :owner,"
                            + " pendingUntil = :until")
                    .conditionExpression(NOT_OLDER + " AND (attribute_not_exists(pendingUntil) OR pendingUntil < :now)")
                    .expressionAttributeValues(Map.of(":v", n(order.version()), ":t", n(order.tieBreak()),
                            ":owner", s(owner), ":until", n(nowMillis + leaseMillis), ":now", n(nowMillis)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException held) {
            return refusal(held.item(), order);
        }
    }

    /**
     * Before each further write under a claim (a re-post after a stale SyncToken): extends the
     * lease if this holder still has it and nothing newer was applied meanwhile. Anything but
     * CLAIMED means the holder must not write again.
     */
    public Claim renewClaim(ExternalId row, Order order, String owner, long nowMillis, long leaseMillis) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("SET pendingUntil = :until")
                    .conditionExpression(NOT_OLDER + " AND pendingOwner = :owner")
                    .expressionAttributeValues(Map.of(":v", n(order.version()), ":t", n(order.tieBreak()),
                            ":owner", s(owner), ":until", n(nowMillis + leaseMillis)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException lost) {
            return refusal(lost.item(), order);
        }
    }

    private static Claim refusal(Map<String, AttributeValue> item, Order order) {
        Order last = new Order(number(item, "lastVersion", -1), number(item, "lastTieBreak", -1));
        Order pending = new Order(number(item, "pendingVersion", -1), number(item, "pendingTieBreak", -1));
        return order.isOlderThan(last) || order.isOlderThan(pending) ? Claim.SUPERSEDED : Claim.BUSY;
    }

    /** Gives up a claim after a failed write; only its holder can, so a failing copy never frees a live one's claim. */
    public void releaseClaim(ExternalId row, String owner) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("REMOVE pendingVersion, pendingTieBreak, pendingOwner, pendingUntil")
                    .conditionExpression("pendingOwner = :owner")
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // the lease ran out and another holder has it now: theirs to release
        }
    }

    /**
     * QuickBooks refused a write for good: the row moves to the next generation, so the next
     * attempt (a replay once the operator fixed the cause) sends new requestids instead of being
     * answered the cached refusal. Conditional on the generation read, so racing holders move it once.
     */
    public void nextGeneration(ExternalId row) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("SET generation = :next")
                    .conditionExpression(row.generation() == 0 ? "attribute_not_exists(generation) OR generation = :current"
                            : "generation = :current")
                    .expressionAttributeValues(Map.of(":next", n(row.generation() + 1), ":current", n(row.generation()))));
        } catch (ConditionalCheckFailedException movedAlready) {
            // another attempt of the same write moved it
        }
    }

    /** Records which entity the row's create made, without claiming any version applied. */
    public void recordCreated(ExternalId row, String accountingId, String syncToken) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("SET accountingId = :id, syncToken = :token")
                    .conditionExpression("attribute_not_exists(accountingId) OR accountingId = :id")
                    .expressionAttributeValues(Map.of(":id", s(accountingId), ":token", s(syncToken))));
        } catch (ConditionalCheckFailedException otherEntity) {
            // cannot happen with one requestid per row; the first entity recorded stays
        }
    }

    /**
     * Records the entity and the applied order and ends this holder's claim; never moves the order
     * back. When this holder's lease ran out and another holder has the claim, the order is still
     * recorded (the write reached QuickBooks) but the other holder's claim is left alone.
     */
    public void recordApplied(ExternalId row, String accountingId, String syncToken, Order order, String owner) {
        Map<String, AttributeValue> values = Map.of(":id", s(accountingId), ":token", s(syncToken),
                ":v", n(order.version()), ":t", n(order.tieBreak()), ":owner", s(owner));
        String set = "SET accountingId = :id, syncToken = :token, lastVersion = :v, lastTieBreak = :t";
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression(set + " REMOVE pendingVersion, pendingTieBreak, pendingOwner, pendingUntil")
                    .conditionExpression(NOT_OLDER + " AND (attribute_not_exists(pendingOwner) OR pendingOwner = :owner)")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException olderOrNotOurs) {
            recordWithoutRelease(row, set, values);
        }
    }

    private void recordWithoutRelease(ExternalId row, String set, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> used = new HashMap<>(values);
        used.remove(":owner");
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression(set).conditionExpression(NOT_OLDER).expressionAttributeValues(used));
        } catch (ConditionalCheckFailedException newerAlreadyRecorded) {
            // a newer version was recorded meanwhile: keep it
        }
    }

    private String table() {
        return resources.externalIdsTable();
    }

    private static ExternalId toExternalId(String tenant, EntityType type, String sourceObjectId,
                                           Map<String, AttributeValue> item) {
        AttributeValue accountingId = item.get("accountingId");
        AttributeValue syncToken = item.get("syncToken");
        return new ExternalId(tenant, type, sourceObjectId, item.get("requestId").s(),
                Optional.ofNullable(accountingId).map(AttributeValue::s),
                syncToken == null ? "" : syncToken.s(), number(item, "lastVersion", -1),
                number(item, "lastTieBreak", -1), number(item, "generation", 0));
    }

    private static long number(Map<String, AttributeValue> item, String name, long absent) {
        AttributeValue value = item.get(name);
        return value == null ? absent : Long.parseLong(value.n());
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
