package dev.ledgerhook.accounting;

import java.util.Optional;

/**
 * One row of the external-id map: which accounting entity a source object became.
 *
 * @param requestId   the create's idempotency key, chosen once by the first command that reserved
 *                    the row, so every later create attempt for this object asks for the same entity
 * @param accountingId the entity's id; empty while the create is not confirmed
 * @param syncToken    the entity's SyncToken as last seen
 * @param lastVersion  the version of the last event applied to the entity
 */
public record ExternalId(String tenant, EntityType type, String sourceObjectId, String requestId,
                         Optional<String> accountingId, String syncToken, long lastVersion) {

    public String key() {
        return key(tenant, type, sourceObjectId);
    }

    public static String key(String tenant, EntityType type, String sourceObjectId) {
        return tenant + "#" + type.apiName() + "#" + sourceObjectId;
    }

    public boolean created() {
        return accountingId.isPresent();
    }
}
