package dev.ledgerhook.accounting;

/** What one command did to the accounting system. */
public record AppliedChange(EntityType entityType, String sourceObjectId, String accountingId, Outcome outcome) {

    public enum Outcome {
        /** A new entity. */
        CREATED,
        /** An existing entity updated. */
        UPDATED,
        /** The entity already reflected the command: nothing sent. */
        UNCHANGED,
        /** The command was older than what was already applied: nothing sent (invariant 9). */
        SKIPPED_OLDER
    }
}
