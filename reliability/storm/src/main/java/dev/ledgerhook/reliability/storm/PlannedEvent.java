package dev.ledgerhook.reliability.storm;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.ledgerhook.providers.SourceType;

/**
 * One unique event of the storm and what it must leave behind.
 *
 * @param type        the provider, also the demo tenant's source name
 * @param eventId     the id where a header carries it (Shopify, Standard Webhooks, Finch), else ""
 * @param topic       the event type or Shopify topic
 * @param body        the delivered body, the same for every copy
 * @param triggeredAt Shopify's {@code X-Shopify-Triggered-At}, the same for every copy (unsigned, so not the
 *                    version: that is the body's {@code updated_at}, which the plan sets to the same instant)
 * @param eventKey    the key the ingest derives, computed here independently of it
 * @param effects     the accounting entities it creates or updates, by marker ({@code Entity}, source id)
 * @param mirrored    the QuickBooks entity a change notification mirrors, if one
 */
record PlannedEvent(int index, SourceType type, String eventId, String topic, String body, Instant triggeredAt,
                    String eventKey, List<Effect> effects, Optional<Effect> mirrored) {

    /** One accounting entity, identified as the adapter marks it: {@code [ledgerhook <entity> <sourceId>]}. */
    record Effect(String entity, String sourceId) {
        @Override
        public String toString() {
            return entity + " " + sourceId;
        }
    }

    String pk() {
        return "demo#" + type.id() + "#" + eventKey;
    }

    boolean skipped() {
        return effects.isEmpty() && mirrored.isEmpty();
    }

    String expectedStatus() {
        return skipped() ? "SKIPPED" : "COMPLETED";
    }
}
