package dev.ledgerhook.mirror;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The tenant's accounting entities as last read after a change notification, keyed
 * {@code {tenant}#{Entity}#{id}}. A write only lands when its {@code lastUpdated} is newer than
 * the stored one, so notifications processed out of order never put older state over newer.
 */
@ApplicationScoped
public class EntityMirror {

    private final DynamoDbClient dynamoDb;
    private final StackResources resources;

    public EntityMirror(DynamoDbClient dynamoDb, StackResources resources) {
        this.dynamoDb = dynamoDb;
        this.resources = resources;
    }

    /** Stores the state unless newer is stored; returns whether it was stored. */
    public boolean record(String tenant, String entity, String id, long lastUpdated, String state, boolean deleted) {
        try {
            dynamoDb.putItem(put -> put.tableName(resources.entityMirrorTable())
                    .item(Map.of("pk", AttributeValue.fromS(key(tenant, entity, id)),
                            "lastUpdated", AttributeValue.fromN(Long.toString(lastUpdated)),
                            "state", AttributeValue.fromS(state),
                            "deleted", AttributeValue.fromBool(deleted)))
                    .conditionExpression("attribute_not_exists(pk) OR lastUpdated < :lastUpdated")
                    .expressionAttributeValues(Map.of(":lastUpdated", AttributeValue.fromN(Long.toString(lastUpdated)))));
            return true;
        } catch (ConditionalCheckFailedException newerStored) {
            return false;
        }
    }

    public Optional<Map<String, AttributeValue>> find(String tenant, String entity, String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(resources.entityMirrorTable())
                .consistentRead(true).key(Map.of("pk", AttributeValue.fromS(key(tenant, entity, id))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    static String key(String tenant, String entity, String id) {
        return tenant + "#" + entity + "#" + id;
    }
}
