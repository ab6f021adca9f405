package dev.ledgerhook.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ledgerhook.ledger.ClaimRequest;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.queue.EventEnvelope;

/**
 * A delivery's events as the claims to make, in rounds.
 *
 * <p>The same event twice in one delivery (same key, same payload hash) is one event: claimed,
 * enqueued and counted once, its copies set aside as {@link #repeated}. Claimed twice, the copies
 * would race each other, and the loser would find the winner's fresh RECEIVED claim and answer the
 * whole delivery 503 in_flight, on every retry.
 *
 * <p>The same key with different payloads is kept, one payload per round: a key's first payload is
 * claimed in the first round, its second in the second round, after the first's claim is written,
 * and so on. Each later payload therefore meets an earlier one's claim and is a collision
 * (invariant 7), as if it had come in a later delivery, and which payload wins never depends on
 * how parallel claims happened to interleave. Almost every delivery has one round.
 */
record DeliveryEvents(List<List<DeliveryEvents.Pending>> rounds, List<DeliveryEvents.Pending> repeated) {

    /** One event to claim, and what to enqueue when the claim is won. */
    record Pending(ClaimRequest claim, EventEnvelope envelope) {

        EventId id() {
            return claim.id();
        }
    }

    /** The claims to make, all rounds together. */
    int claims() {
        return rounds.stream().mapToInt(List::size).sum();
    }

    static DeliveryEvents of(List<Pending> events) {
        Map<EventId, List<String>> payloadsByKey = new HashMap<>();
        List<List<Pending>> rounds = new ArrayList<>();
        List<Pending> repeated = new ArrayList<>();
        for (Pending event : events) {
            List<String> payloads = payloadsByKey.computeIfAbsent(event.id(), id -> new ArrayList<>());
            if (payloads.contains(event.claim().payloadHash())) {
                repeated.add(event);
                continue;
            }
            int round = payloads.size();
            payloads.add(event.claim().payloadHash());
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(event);
        }
        return new DeliveryEvents(rounds, repeated);
    }
}
