package dev.ledgerhook.connections;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Reads and writes {@link QuickBooksConnection}s. A refresh takes a short lock first (conditional
 * on the version it read), so only one container at a time spends the current refresh token;
 * the new tokens are written under the same lock and version, so the newest refresh token is
 * never overwritten by an older one.
 */
@ApplicationScoped
public class QuickBooksConnections {

    static final String SK = "ACCOUNTING#quickbooks";

    private final DynamoDbClient dynamoDb;
    private final StackResources resources;

    public QuickBooksConnections(DynamoDbClient dynamoDb, StackResources resources) {
        this.dynamoDb = dynamoDb;
        this.resources = resources;
    }

    public Optional<QuickBooksConnection> find(String tenant) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(resources.tenantsTable())
                .consistentRead(true).key(key(tenant))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue access = item.get("accessToken");
        AttributeValue expires = item.get("accessTokenExpiresAt");
        return Optional.of(new QuickBooksConnection(tenant, item.get("realmId").s(), item.get("clientId").s(),
                item.get("clientSecretRef").s(), item.get("refreshToken").s(),
                Optional.ofNullable(access).map(AttributeValue::s),
                expires == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(expires.n())),
                Long.parseLong(item.get("version").n())));
    }

    /** Connects a tenant to a QuickBooks company (operator tool, tests); replaces any earlier connection. */
    public void connect(String tenant, String realmId, String clientId, String clientSecretRef, String refreshToken) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant));
        item.put("realmId", s(realmId));
        item.put("clientId", s(clientId));
        item.put("clientSecretRef", s(clientSecretRef));
        item.put("refreshToken", s(refreshToken));
        item.put("version", n(0));
        dynamoDb.putItem(put -> put.tableName(resources.tenantsTable()).item(item));
    }

    /** Takes the refresh lock if the connection is still at {@code version} and nobody holds a live lock. */
    public boolean lock(QuickBooksConnection seen, String owner, Instant now, Instant until) {
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.tenantsTable()).key(key(seen.tenant()))
                    .updateExpression("SET lockOwner = :owner, lockUntil = :until")
                    .conditionExpression("version = :version AND (attribute_not_exists(lockUntil) OR lockUntil < :now)")
                    .expressionAttributeValues(Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()),
                            ":version", n(seen.version()), ":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException busy) {
            return false;
        }
    }

    /** Stores refreshed tokens under the lock this owner holds, and releases it. */
    public boolean saveRefreshed(QuickBooksConnection seen, String owner, OAuthTokens tokens, Instant now) {
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.tenantsTable()).key(key(seen.tenant()))
                    .updateExpression("SET refreshToken = :refresh, accessToken = :access, accessTokenExpiresAt = :expires,"
                            + " version = :next REMOVE lockOwner, lockUntil")
                    .conditionExpression("version = :version AND lockOwner = :owner")
                    .expressionAttributeValues(Map.of(":refresh", s(tokens.refreshToken()),
                            ":access", s(tokens.accessToken()),
                            ":expires", n(now.plus(tokens.expiresIn()).toEpochMilli()),
                            ":next", n(seen.version() + 1), ":version", n(seen.version()), ":owner", s(owner))));
            return true;
        } catch (ConditionalCheckFailedException lostLock) {
            return false;
        }
    }

    public void unlock(QuickBooksConnection seen, String owner) {
        try {
            dynamoDb.updateItem(update -> update.tableName(resources.tenantsTable()).key(key(seen.tenant()))
                    .updateExpression("REMOVE lockOwner, lockUntil")
                    .conditionExpression("lockOwner = :owner")
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // someone else's lock now: leave it
        }
    }

    private static Map<String, AttributeValue> key(String tenant) {
        return Map.of("pk", s(tenant), "sk", s(SK));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
