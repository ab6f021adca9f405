package dev.ledgerhook.queue;

import dev.ledgerhook.ledger.EventId;

/**
 * What the ingest function puts on the queue for one event, and all the worker needs to apply it.
 *
 * @param id          tenant, source and event key
 * @param sourceType  the provider type of the source ({@code stripe}, ...), to pick the mapping
 * @param eventType   the provider's event type or topic
 * @param version     the provider's ordering value (epoch milliseconds or sequence)
 * @param payloadHash SHA-256 hex of {@code payload}, as claimed
 * @param receivedAt  epoch milliseconds of the claiming delivery
 * @param payload     the event's JSON text
 */
public record EventEnvelope(EventId id, String sourceType, String eventType, long version, String payloadHash,
                            long receivedAt, String payload) {
}
