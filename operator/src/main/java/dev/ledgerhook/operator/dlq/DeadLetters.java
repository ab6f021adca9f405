package dev.ledgerhook.operator.dlq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.ledgerhook.operator.Output;
import dev.ledgerhook.operator.StackConnection;
import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.queue.MalformedEnvelopeException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The events dead-letter queue, read and redriven by the operator. SQS cannot peek: listing
 * receives every message under a short visibility time-out and then makes them visible again.
 * A redrive sends a message's body to the events queue first and deletes it from the DLQ after,
 * so a crash in between leaves a copy in both, never in neither; the worker's idempotency makes
 * the extra copy harmless (invariant 3).
 */
public final class DeadLetters {

    /** A dead-lettered message: its envelope when readable, and why it is here. */
    public record DeadLetter(Message message, Optional<EventEnvelope> envelope) {

        public String errorCode() {
            var attribute = message.messageAttributes().get("errorCode");
            return attribute == null ? "" : attribute.stringValue();
        }

        public String errorMessage() {
            var attribute = message.messageAttributes().get("errorMessage");
            return attribute == null ? "" : attribute.stringValue();
        }
    }

    private static final int HOLD_SECONDS = 60;

    private final SqsClient sqs;
    private final String dlqUrl;
    private final String queueUrl;
    private final Output output;

    public DeadLetters(StackConnection connection, Output output) {
        this.sqs = connection.sqs();
        this.dlqUrl = connection.resources().eventsDlqUrl();
        this.queueUrl = connection.resources().eventsQueueUrl();
        this.output = output;
    }

    /** Up to {@code limit} messages, left in the queue and visible again afterwards. */
    public List<DeadLetter> list(int limit) {
        List<DeadLetter> letters = receiveAll(limit);
        release(letters);
        return letters;
    }

    /** Redrives the messages whose envelope matches; returns how many were moved. */
    public int redrive(Predicate<EventEnvelope> which) {
        return redrive(letter -> letter.envelope().map(which::test).orElse(false), "matching");
    }

    /** Redrives the message with this id, or all of them for {@code null}; returns how many were moved. */
    public int redriveById(String messageId) {
        return redrive(letter -> messageId == null || letter.message().messageId().equals(messageId),
                messageId == null ? "all" : messageId);
    }

    private int redrive(Predicate<DeadLetter> which, String what) {
        List<DeadLetter> letters = receiveAll(Integer.MAX_VALUE);
        List<DeadLetter> kept = new ArrayList<>();
        int moved = 0;
        for (DeadLetter letter : letters) {
            if (!which.test(letter)) {
                kept.add(letter);
                continue;
            }
            sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(letter.message().body()));
            sqs.deleteMessage(delete -> delete.queueUrl(dlqUrl).receiptHandle(letter.message().receiptHandle()));
            moved++;
            if (moved % 100 == 0) {
                output.progress("redriven " + moved + " messages (" + what + ")");
            }
        }
        release(kept);
        return moved;
    }

    private List<DeadLetter> receiveAll(int limit) {
        Map<String, DeadLetter> seen = new LinkedHashMap<>();
        int emptyReceives = 0;
        while (seen.size() < limit && emptyReceives < 2) {
            List<Message> batch = sqs.receiveMessage(receive -> receive.queueUrl(dlqUrl)
                    .maxNumberOfMessages(10).visibilityTimeout(HOLD_SECONDS).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
            emptyReceives = batch.isEmpty() ? emptyReceives + 1 : 0;
            batch.forEach(message -> seen.putIfAbsent(message.messageId(), new DeadLetter(message, decode(message))));
            if (seen.size() >= 1000 && seen.size() % 1000 < 10) {
                output.progress("read " + seen.size() + " dead-lettered messages");
            }
        }
        return new ArrayList<>(seen.values()).subList(0, Math.min(limit, seen.size()));
    }

    /** Makes held messages visible again at once. */
    private void release(List<DeadLetter> letters) {
        for (int from = 0; from < letters.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = letters.subList(from, Math.min(from + 10, letters.size()))
                    .stream().map(letter -> ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(letter.message().messageId()).receiptHandle(letter.message().receiptHandle())
                            .visibilityTimeout(0).build()).toList();
            sqs.changeMessageVisibilityBatch(change -> change.queueUrl(dlqUrl).entries(entries));
        }
    }

    private static Optional<EventEnvelope> decode(Message message) {
        try {
            return Optional.of(EnvelopeCodec.decode(message.body()));
        } catch (MalformedEnvelopeException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
