package dev.ledgerhook.worker.mappings;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.ledgerhook.providers.SourceType;

/** The registered mappings by source type; a type without one maps every event to SKIPPED. */
@ApplicationScoped
public class EventMappings {

    private final Map<SourceType, EventMapping> byType = new EnumMap<>(SourceType.class);

    public EventMappings(Instance<EventMapping> mappings) {
        mappings.forEach(mapping -> byType.put(mapping.type(), mapping));
    }

    public Optional<EventMapping> forType(String sourceType) {
        return SourceType.fromId(sourceType).map(byType::get);
    }
}
