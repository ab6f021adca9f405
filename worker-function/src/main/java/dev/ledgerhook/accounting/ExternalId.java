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
 * @param lastTieBreak the tie-break of that event, which orders events of one version
 * @param generation   how many writes QuickBooks refused for good: each one retires the requestids
 *                     of the generation before, so a replay after the cause is fixed is a new request
 */
public record ExternalId(String tenant, EntityType type, String sourceObjectId, String requestId,
                         Optional<String> accountingId, String syncToken, long lastVersion, long lastTieBreak,
                         long generation) {

    /** Whether an event of this version and tie-break is older than the last one applied: it stands down. */
    public boolean isNewerThan(long version, long tieBreak) {
        return new ExternalIdMap.Order(version, tieBreak).isOlderThan(new ExternalIdMap.Order(lastVersion, lastTieBreak));
    }

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
