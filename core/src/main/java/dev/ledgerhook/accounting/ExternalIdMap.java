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
 * <li>{@link #claimVersion}: an update first claims its version, one version per entity at a
 * time, so an older event never reaches the accounting system after a newer one (invariant 9);</li>
 * <li>{@link #recordApplied}: the applied version and SyncToken move forward, never back.</li>
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
        ExternalId fresh = new ExternalId(tenant, type, sourceObjectId, requestId, Optional.empty(), "", -1);
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
        /** This version may be applied now; no other version of the entity is being applied. */
        CLAIMED,
        /** This version, or a newer one, was applied or is being applied: stand down. */
        SUPERSEDED,
        /** An older version is being applied right now: retry after it (transient). */
        BUSY
    }

    /**
     * Claims {@code version} for an update, one version per entity at a time under a lease
     * ({@code pendingVersion}, {@code pendingUntil}). Serialising is what keeps invariant 9 across
     * systems: an older update can never reach QuickBooks after a newer one, because the newer one
     * cannot start while the older holds the claim, and the older one cannot start once a newer
     * one holds it or was applied. The same version may claim again (a retry), and a lease left by
     * a crashed worker runs out.
     */
    public Claim claimVersion(ExternalId row, long version, long nowMillis, long leaseMillis) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("SET pendingVersion = :v, pendingUntil = :until")
                    .conditionExpression("lastVersion < :v AND (attribute_not_exists(pendingVersion)"
                            + " OR pendingVersion = :v OR pendingUntil < :now)")
                    .expressionAttributeValues(Map.of(":v", n(version), ":until", n(nowMillis + leaseMillis),
                            ":now", n(nowMillis)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException held) {
            Map<String, AttributeValue> item = held.item();
            long last = Long.parseLong(item.get("lastVersion").n());
            AttributeValue pending = item.get("pendingVersion");
            if (last >= version || (pending != null && Long.parseLong(pending.n()) > version)) {
                return Claim.SUPERSEDED;
            }
            return Claim.BUSY;
        }
    }

    /** Gives up a claim after a failed update, so the next attempt need not wait for the lease. */
    public void releaseClaim(ExternalId row, long version) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("REMOVE pendingVersion, pendingUntil")
                    .conditionExpression("pendingVersion = :v")
                    .expressionAttributeValues(Map.of(":v", n(version))));
        } catch (ConditionalCheckFailedException notOurs) {
            // another version holds it now
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

    /** Records the entity and the applied version; never moves {@code lastVersion} back. */
    public void recordApplied(ExternalId row, String accountingId, String syncToken, long version) {
        try {
            dynamoDb.updateItem(update -> update.tableName(table()).key(key(row.key()))
                    .updateExpression("SET accountingId = :id, syncToken = :token, lastVersion = :v"
                            + " REMOVE pendingVersion, pendingUntil")
                    .conditionExpression("lastVersion < :v OR (lastVersion = :v AND accountingId = :id)")
                    .expressionAttributeValues(Map.of(":id", s(accountingId), ":token", s(syncToken), ":v", n(version))));
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
                syncToken == null ? "" : syncToken.s(), Long.parseLong(item.get("lastVersion").n()));
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
