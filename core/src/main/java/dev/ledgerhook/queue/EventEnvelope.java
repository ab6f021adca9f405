package dev.ledgerhook.queue;

import java.time.Duration;

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
 * @param expiresAt   epoch seconds: the claim's TTL, from the source's retention. The worker writes it when it
 *                    finds the claim gone (released after a send that timed out but landed), so the event
 *                    record it keeps still expires and still tells the provider's retry from a collision
 * @param payload     the event's JSON text
 */
public record EventEnvelope(EventId id, String sourceType, String eventType, long version, String payloadHash,
                            long receivedAt, long expiresAt, String payload) {

    /**
     * The TTL of an envelope that does not carry one (written before envelopes did): the default
     * retention, which is at least every provider's retry window.
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    /** An envelope whose TTL is {@link #DEFAULT_RETENTION} from {@code receivedAt}. */
    public EventEnvelope(EventId id, String sourceType, String eventType, long version, String payloadHash,
                         long receivedAt, String payload) {
        this(id, sourceType, eventType, version, payloadHash, receivedAt, defaultExpiresAt(receivedAt), payload);
    }

    public static long defaultExpiresAt(long receivedAtMillis) {
        return receivedAtMillis / 1000 + DEFAULT_RETENTION.toSeconds();
    }
}
