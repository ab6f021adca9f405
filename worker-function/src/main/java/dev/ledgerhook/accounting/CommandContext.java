package dev.ledgerhook.accounting;

/**
 * Where a command comes from: the tenant, the source (event keys are unique per source, not per
 * tenant), the event that produced it and its position among that event's commands. Together they
 * make the create's idempotency key: the same event's same command always asks for the same entity.
 */
public record CommandContext(String tenant, String source, String eventKey, int commandIndex) {
}
