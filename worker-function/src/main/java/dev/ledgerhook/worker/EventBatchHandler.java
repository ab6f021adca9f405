package dev.ledgerhook.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.ledger.EventProgress;
import dev.ledgerhook.outcomes.OutcomeLog;
import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.queue.MalformedEnvelopeException;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.tracing.LogContext;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS-triggered entry point, with ReportBatchItemFailures. The messages of a batch run
 * concurrently (up to {@code ledgerhook.worker.concurrency}); each ends in one of four ways:
 * completed or skipped (acknowledged), transient (reported as a batch item failure, its visibility
 * extended with exponential back-off, to the DLQ after maxReceiveCount), or permanent (sent to the
 * DLQ at once with its reason, then acknowledged). One message's failure never fails another.
 *
 * <p>A singleton: Quarkus' Lambda runtime looks the handler bean up on every invocation, so a
 * dependent-scoped handler would build (and never shut down) a new thread pool per batch.
 */
@Singleton
@Named("events")
public class EventBatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final long DEFAULT_REMAINING_MILLIS = 60_000;
    private static final int MAX_VISIBILITY_SECONDS = 900;

    private final EventProcessor processor;
    private final DeadLetters deadLetters;
    private final EventProgress progress;
    private final SqsClient sqs;
    private final StackResources resources;
    private final WorkerConfig config;
    private final OutcomeLog outcomes;
    private final ExecutorService executor;

    public EventBatchHandler(EventProcessor processor, DeadLetters deadLetters, EventProgress progress, SqsClient sqs,
                             StackResources resources, WorkerConfig config, OutcomeLog outcomes) {
        this.processor = processor;
        this.deadLetters = deadLetters;
        this.progress = progress;
        this.sqs = sqs;
        this.resources = resources;
        this.config = config;
        this.outcomes = outcomes;
        this.executor = Executors.newFixedThreadPool(config.concurrency());
    }

    /** The batch runs with the invocation's request id and trace id in the logging MDC, on every message's thread. */
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (LogContext log = LogContext.open(context == null ? null : context.getAwsRequestId())) {
            return handleBatch(event, context);
        }
    }

    private SQSBatchResponse handleBatch(SQSEvent event, Context context) {
        long deadline = System.currentTimeMillis()
                + (context == null ? DEFAULT_REMAINING_MILLIS : context.getRemainingTimeInMillis());
        Map<SQSEvent.SQSMessage, Future<Boolean>> running = new LinkedHashMap<>();
        Set<EventId> inThisBatch = new HashSet<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            EventEnvelope envelope;
            try {
                envelope = EnvelopeCodec.decode(message.getBody());
            } catch (MalformedEnvelopeException poison) {
                running.put(message, executor.submit(LogContext.carried(() -> deadLetterPoison(message, poison))));
                continue;
            }
            if (isRepeatInBatch(envelope.id(), message, inThisBatch)) {
                continue;
            }
            running.put(message, executor.submit(LogContext.carried(() -> handle(message, envelope, deadline))));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        running.forEach((message, acknowledged) -> {
            if (!succeeded(acknowledged)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        });
        return new SQSBatchResponse(failures);
    }

    /**
     * A second copy of an event in the same batch (a re-send by the ingest, or SQS' at-least-once
     * delivery) is acknowledged without running: the first copy carries the event, and if the first
     * fails it stays on the queue itself. Running both would only make one of them wait for the
     * other's entity claim and come back later as a duplicate.
     */
    private boolean isRepeatInBatch(EventId id, SQSEvent.SQSMessage message, Set<EventId> inThisBatch) {
        if (inThisBatch.add(id)) {
            return false;
        }
        outcomes.record("worker", "repeated_in_batch", 0, Map.of("tenant", id.tenant(), "source", id.source(),
                "eventKey", id.eventKey(), "messageId", message.getMessageId()));
        return true;
    }

    /** A body that is no envelope goes to the DLQ with its reason and is acknowledged. */
    private boolean deadLetterPoison(SQSEvent.SQSMessage message, MalformedEnvelopeException poison) {
        deadLetters.send(message.getBody(), message.getMessageId(), "LH-ENVELOPE", poison.getMessage());
        outcomes.record("worker", "poison", 0, Map.of("messageId", message.getMessageId(), "error", poison.getMessage()));
        return true;
    }

    /** Returns whether the message may be deleted (acknowledged). */
    private boolean handle(SQSEvent.SQSMessage message, EventEnvelope envelope, long deadline) {
        ProcessingOutcome outcome = processor.process(envelope, message.getMessageId(), deadline);
        if (outcome instanceof ProcessingOutcome.Transient) {
            delayRedelivery(message);
            return false;
        }
        if (outcome instanceof ProcessingOutcome.Permanent permanent) {
            deadLetters.send(message.getBody(), message.getMessageId(), permanent.code(), permanent.message());
            recordDeadLettered(envelope, message);
        }
        return true;
    }

    /**
     * After the DLQ send, never before: a crash in between makes the redelivery run again (at worst a second
     * DLQ copy) instead of being skipped with no copy anywhere. If the record fails, the message is still
     * acknowledged: its copy is in the DLQ, and a redelivery would only add another.
     */
    private void recordDeadLettered(EventEnvelope envelope, SQSEvent.SQSMessage message) {
        try {
            progress.deadLettered(envelope.id(), message.getMessageId());
        } catch (SdkException e) {
            outcomes.record("worker", "dead_letter_unrecorded", 0, Map.of("tenant", envelope.id().tenant(),
                    "eventKey", envelope.id().eventKey(), "messageId", message.getMessageId(), "error", String.valueOf(e.getMessage())));
        }
    }

    /** Exponential back-off with jitter between receives: 30 s, 60 s, 120 s ... up to 15 minutes. */
    private void delayRedelivery(SQSEvent.SQSMessage message) {
        if (message.getReceiptHandle() == null) {
            return;
        }
        int receives = receiveCount(message);
        long base = config.redeliveryDelay().toSeconds() << Math.min(receives - 1, 10);
        long seconds = Math.min(MAX_VISIBILITY_SECONDS, base + ThreadLocalRandom.current().nextLong(base / 10 + 1));
        try {
            sqs.changeMessageVisibility(change -> change.queueUrl(resources.eventsQueueUrl())
                    .receiptHandle(message.getReceiptHandle()).visibilityTimeout((int) seconds));
        } catch (SdkException e) {
            // the queue's own visibility timeout applies instead
        }
    }

    static int receiveCount(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        try {
            return attributes == null ? 1 : Math.max(1, Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static boolean succeeded(Future<Boolean> acknowledged) {
        try {
            return acknowledged.get();
        } catch (Exception unexpected) {
            return false; // not acknowledged: SQS redelivers it
        }
    }

    /** Starts the pool's threads now (SnapStart priming), not on the first batch. */
    void prestartThreads() {
        if (executor instanceof java.util.concurrent.ThreadPoolExecutor pool) {
            pool.prestartAllCoreThreads();
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
