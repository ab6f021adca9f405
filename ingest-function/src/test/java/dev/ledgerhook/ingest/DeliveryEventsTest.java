package dev.ledgerhook.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.ledger.ClaimRequest;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.queue.EventEnvelope;

/** How a delivery's events become claims: copies counted once, a key's payloads one per round. */
class DeliveryEventsTest {

    @Test
    void anIdenticalCopyIsSetAsideAndEveryOtherEventIsInTheFirstRound() {
        DeliveryEvents events = DeliveryEvents.of(List.of(event("a", "1"), event("b", "1"), event("a", "1")));

        assertEquals(List.of(List.of("a:1", "b:1")), names(events.rounds()));
        assertEquals(List.of("a:1"), events.repeated().stream().map(DeliveryEventsTest::name).toList());
    }

    @Test
    void aKeysLaterPayloadsGoToLaterRoundsInDeliveryOrder() {
        DeliveryEvents events = DeliveryEvents.of(List.of(
                event("a", "1"), event("a", "2"), event("b", "1"), event("a", "3"), event("a", "2")));

        assertEquals(List.of(List.of("a:1", "b:1"), List.of("a:2"), List.of("a:3")), names(events.rounds()));
        assertEquals(List.of("a:2"), events.repeated().stream().map(DeliveryEventsTest::name).toList());
    }

    private static DeliveryEvents.Pending event(String key, String hash) {
        EventId id = new EventId("t", "s", key);
        Instant now = Instant.EPOCH;
        return new DeliveryEvents.Pending(new ClaimRequest(id, hash, 0, "type", now, Duration.ofSeconds(30),
                Duration.ofDays(30)), new EventEnvelope(id, "stripe", "type", 0, hash, 0, "{}"));
    }

    private static List<List<String>> names(List<List<DeliveryEvents.Pending>> rounds) {
        return rounds.stream().map(round -> round.stream().map(DeliveryEventsTest::name).toList()).toList();
    }

    private static String name(DeliveryEvents.Pending event) {
        return event.id().eventKey() + ":" + event.claim().payloadHash();
    }
}
