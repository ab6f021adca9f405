package dev.ledgerhook.worker;

/** How one message ended; each kind has its SQS consequence in {@link EventBatchHandler}. */
public sealed interface ProcessingOutcome {

    /** Applied: acknowledge. */
    record Completed(String accountingIds) implements ProcessingOutcome {
    }

    /** Nothing to do for this event (a type not booked, another company's change): acknowledge. */
    record Skipped(String reason) implements ProcessingOutcome {
    }

    /**
     * The event was finished before this delivery of it (SQS redelivered it, a replay, or a duplicate
     * the ingest did not catch): acknowledge. Counted apart from {@link Skipped} because it is the
     * worker's view of duplicates: the dashboard's duplicate detection rate is built on it.
     */
    record AlreadyDone(String reason) implements ProcessingOutcome {
    }

    /** Try again later: report in batchItemFailures, visibility extended. */
    record Transient(String code, String message) implements ProcessingOutcome {
    }

    /** Will never succeed as it is: to the DLQ with the reason now, and acknowledge. */
    record Permanent(String code, String message) implements ProcessingOutcome {
    }
}
