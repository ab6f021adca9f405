package dev.ledgerhook.tenants;

import static dev.ledgerhook.tenants.TenantItems.ENABLED;
import static dev.ledgerhook.tenants.TenantItems.PK;
import static dev.ledgerhook.tenants.TenantItems.RETENTION_DAYS;
import static dev.ledgerhook.tenants.TenantItems.SECRETS;
import static dev.ledgerhook.tenants.TenantItems.SK;
import static dev.ledgerhook.tenants.TenantItems.SOURCE_SK_PREFIX;
import static dev.ledgerhook.tenants.TenantItems.TENANT_SK;
import static dev.ledgerhook.tenants.TenantItems.TYPE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads and writes tenants and their sources in the tenants table, uncached. */
@ApplicationScoped
public class TenantStore {

    /** A tenant as stored: whether it is enabled, and its sources by name. */
    public record StoredTenant(String id, boolean enabled, Map<String, StoredSource> sources) {
    }

    /** A source as stored; {@code problem} is set when the item cannot be used (unknown type, no secrets). */
    public record StoredSource(Optional<SourceConfig> config, Optional<String> problem) {
    }

    private final DynamoDbClient dynamoDb;
    private final StackResources resources;

    public TenantStore(DynamoDbClient dynamoDb, StackResources resources) {
        this.dynamoDb = dynamoDb;
        this.resources = resources;
    }

    public Optional<StoredTenant> find(String tenant) {
        List<Map<String, AttributeValue>> items = dynamoDb.queryPaginator(query -> query
                        .tableName(resources.tenantsTable())
                        .consistentRead(true)
                        .keyConditionExpression("pk = :tenant")
                        .expressionAttributeValues(Map.of(":tenant", AttributeValue.fromS(tenant))))
                .items().stream().toList();
        return toTenant(tenant, items);
    }

    /** Every tenant, by id: one scan of the tenants table (an operator's listing, not a hot path). */
    public List<StoredTenant> list() {
        Map<String, List<Map<String, AttributeValue>>> byTenant = new TreeMap<>();
        dynamoDb.scanPaginator(scan -> scan.tableName(resources.tenantsTable()).consistentRead(true)).items()
                .forEach(item -> byTenant.computeIfAbsent(item.get(PK).s(), id -> new ArrayList<>()).add(item));
        List<StoredTenant> tenants = new ArrayList<>();
        byTenant.forEach((id, items) -> toTenant(id, items).ifPresent(tenants::add));
        return tenants;
    }

    private static Optional<StoredTenant> toTenant(String tenant, List<Map<String, AttributeValue>> items) {
        Optional<Map<String, AttributeValue>> tenantItem = items.stream()
                .filter(item -> TENANT_SK.equals(item.get(SK).s())).findFirst();
        if (tenantItem.isEmpty()) {
            return Optional.empty();
        }
        Map<String, StoredSource> sources = new HashMap<>();
        items.stream().filter(item -> item.get(SK).s().startsWith(SOURCE_SK_PREFIX)).forEach(item -> {
            String name = item.get(SK).s().substring(SOURCE_SK_PREFIX.length());
            sources.put(name, toSource(tenant, name, item));
        });
        AttributeValue enabled = tenantItem.get().get(ENABLED);
        return Optional.of(new StoredTenant(tenant, enabled == null || Boolean.TRUE.equals(enabled.bool()), sources));
    }

    public void putTenant(String tenant, boolean enabled) {
        requireName(tenant, "tenant");
        dynamoDb.putItem(put -> put.tableName(resources.tenantsTable()).item(Map.of(
                PK, AttributeValue.fromS(tenant),
                SK, AttributeValue.fromS(TENANT_SK),
                ENABLED, AttributeValue.fromBool(enabled))));
    }

    public void putSource(SourceConfig source) {
        requireName(source.tenant(), "tenant");
        requireName(source.name(), "source");
        if (source.secretRefs().isEmpty() || source.secretRefs().size() > 2) {
            throw new IllegalArgumentException("a source has one or two secrets");
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(source.tenant()));
        item.put(SK, AttributeValue.fromS(SOURCE_SK_PREFIX + source.name()));
        item.put(TYPE, AttributeValue.fromS(source.type().id()));
        item.put(SECRETS, AttributeValue.fromL(source.secretRefs().stream().map(AttributeValue::fromS).toList()));
        source.retention().ifPresent(retention ->
                item.put(RETENTION_DAYS, AttributeValue.fromN(Long.toString(retention.toDays()))));
        dynamoDb.putItem(put -> put.tableName(resources.tenantsTable()).item(item));
    }

    private static StoredSource toSource(String tenant, String name, Map<String, AttributeValue> item) {
        AttributeValue type = item.get(TYPE);
        Optional<SourceType> sourceType = type == null ? Optional.empty() : SourceType.fromId(type.s());
        if (sourceType.isEmpty()) {
            return new StoredSource(Optional.empty(), Optional.of("source has an unknown type"));
        }
        List<String> secrets = new ArrayList<>();
        AttributeValue list = item.get(SECRETS);
        if (list != null && list.hasL()) {
            list.l().forEach(value -> secrets.add(value.s()));
        }
        if (secrets.isEmpty() || secrets.size() > 2 || secrets.stream().anyMatch(s -> s == null || s.isBlank())) {
            return new StoredSource(Optional.empty(), Optional.of("source needs one or two secret references"));
        }
        AttributeValue days = item.get(RETENTION_DAYS);
        Optional<Duration> retention = days == null ? Optional.empty() : Optional.of(Duration.ofDays(Long.parseLong(days.n())));
        return new StoredSource(Optional.of(new SourceConfig(tenant, name, sourceType.get(), secrets, retention)),
                Optional.empty());
    }

    private static void requireName(String name, String what) {
        if (!EventId.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name must match " + EventId.NAME.pattern() + ": " + name);
        }
    }
}
