package dev.ledgerhook.worker.mappings;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.queue.EventEnvelope;

/** Turns one provider's events into accounting commands. One CDI bean per source type. */
public interface EventMapping {

    SourceType type();

    /** @throws IllegalArgumentException when the payload lacks what the event type needs (permanent) */
    MappingResult map(EventEnvelope event);
}
