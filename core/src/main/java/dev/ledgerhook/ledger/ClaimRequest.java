package dev.ledgerhook.ledger;

import java.time.Duration;
import java.time.Instant;

/** One event's claim: its key, payload hash, ordering version and type, and how long to hold it. */
public record ClaimRequest(EventId id, String payloadHash, long version, String eventType, Instant now,
                           Duration lease, Duration retention) {

    public long leaseUntil() {
        return now.plus(lease).toEpochMilli();
    }

    public long expiresAt() {
        return now.plus(retention).getEpochSecond();
    }
}
