package dev.ledgerhook.ingest;

/** How a delivery was answered. Each kind maps to one HTTP status. */
public sealed interface IntakeResult {

    /** 200: every event is enqueued now or was by an earlier delivery. */
    record Accepted(int received, int duplicates) implements IntakeResult {
    }

    /** 200 with an empty body: Xero's intent-to-receive check, signature valid. */
    record IntentToReceive() implements IntakeResult {
    }

    /** 4xx: the delivery is refused and nothing was written. */
    record Rejected(int status, String error, String message) implements IntakeResult {
    }

    /** 503: not processed now, nothing lost; the provider's retry will be. */
    record Unavailable(String error, String message, long retryAfterSeconds) implements IntakeResult {
    }
}
