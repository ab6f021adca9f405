package dev.ledgerhook.tenants;

/**
 * Layout of the tenants table: one partition per tenant, holding the tenant item
 * ({@code sk = TENANT}) and one item per source ({@code sk = SOURCE#{name}}), so one Query reads
 * a tenant with all its sources.
 */
final class TenantItems {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String TENANT_SK = "TENANT";
    static final String SOURCE_SK_PREFIX = "SOURCE#";

    /** Tenant item: BOOL, false stops every endpoint of the tenant (404). */
    static final String ENABLED = "enabled";
    /** Source item: the provider type id ({@code stripe}, ...). */
    static final String TYPE = "type";
    /** Source item: list of one or two secret references. */
    static final String SECRETS = "secrets";
    /** Source item: retention in days (optional). */
    static final String RETENTION_DAYS = "retentionDays";

    private TenantItems() {
    }
}
