package dev.ledgerhook.worker;

/** How one message ended; each kind has its SQS consequence in {@link EventBatchHandler}. */
public sealed interface ProcessingOutcome {

    /** Applied: acknowledge. */
    record Completed(String accountingIds) implements ProcessingOutcome {
    }

    /** Nothing to do, or already done: acknowledge. */
    record Skipped(String reason) implements ProcessingOutcome {
    }

    /** Try again later: report in batchItemFailures, visibility extended. */
    record Transient(String code, String message) implements ProcessingOutcome {
    }

    /** Will never succeed as it is: to the DLQ with the reason now, and acknowledge. */
    record Permanent(String code, String message) implements ProcessingOutcome {
    }
}
