package dev.ledgerhook.ledger;

/** What a delivery's claim on one event key came to. Each outcome has its own type. */
public sealed interface ClaimOutcome {

    EventId id();

    /**
     * This delivery owns the event until {@code leaseUntil} and must enqueue it. {@code tookOver} is
     * true when an earlier claimant's lease ran out before its send was confirmed.
     */
    record Claimed(EventId id, long leaseUntil, boolean tookOver) implements ClaimOutcome {
    }

    /** Already enqueued (or further along) by an earlier delivery: answer 200, send nothing. */
    record Duplicate(EventId id, EventStatus status, long firstReceivedAt, long deliveries) implements ClaimOutcome {
    }

    /**
     * Another delivery claimed it and has not confirmed its send yet, and its lease still runs: its
     * outcome is unknown, so this delivery must not answer 2xx (invariant 2). Answered 503 with
     * Retry-After; the retry finds it ENQUEUED, or takes the lease over.
     */
    record InFlight(EventId id, long leaseUntil) implements ClaimOutcome {
    }

    /** Same key, different payload (invariant 7): counted, logged with both hashes, not enqueued. */
    record Collision(EventId id, String storedHash, String deliveredHash, long firstReceivedAt) implements ClaimOutcome {
    }
}
