package dev.ledgerhook.ledger;

/** The states of an event record, in the order an event normally passes through them. */
public enum EventStatus {
    /** Claimed by an ingest delivery; its SQS send may not have happened yet (the lease says how long to wait). */
    RECEIVED,
    /** The SQS send succeeded. */
    ENQUEUED,
    /** A worker is applying it. */
    PROCESSING,
    /** Applied; accounting ids recorded. */
    COMPLETED,
    /** Failed permanently; the message went to the DLQ with the reason. */
    FAILED,
    /** No mapping for its event type: acknowledged and recorded with the reason. */
    SKIPPED
}
