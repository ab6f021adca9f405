package dev.ledgerhook.queue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends envelopes to the events queue: one SendMessage for one event, SendMessageBatch (10 entries
 * and 1 MiB at most per call) for several. Reports per envelope whether SQS accepted it, so the
 * caller can release exactly the claims whose send failed.
 */
@ApplicationScoped
public class EventQueue {

    private static final int MAX_BATCH_ENTRIES = 10;

    private final SqsClient sqs;
    private final StackResources resources;

    public EventQueue(SqsClient sqs, StackResources resources) {
        this.sqs = sqs;
        this.resources = resources;
    }

    /** Returns, in order, whether each envelope was durably accepted by SQS. Never throws for a send failure. */
    public List<Boolean> send(List<EventEnvelope> envelopes) {
        return send(envelopes, Runnable::run);
    }

    /**
     * As {@link #send(List)}, the batches sent side by side on {@code executor}: a delivery of 1,000
     * events is 100 SendMessageBatch calls, too many to make one after another within a
     * provider's answer deadline. Each batch succeeds or fails on its own.
     */
    public List<Boolean> send(List<EventEnvelope> envelopes, Executor executor) {
        List<String> bodies = envelopes.stream().map(EnvelopeCodec::encode).toList();
        if (envelopes.size() == 1) {
            return List.of(sendOne(envelopes.get(0), bodies.get(0)));
        }
        List<CompletableFuture<List<Boolean>>> batches = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int start = 0;
        while (start < envelopes.size()) {
            int from = start;
            int to = batchEnd(bodies, from);
            batches.add(CompletableFuture.supplyAsync(
                    () -> sendBatch(envelopes.subList(from, to), bodies.subList(from, to)), executor));
            sizes.add(to - from);
            start = to;
        }
        List<Boolean> accepted = new ArrayList<>(envelopes.size());
        for (int i = 0; i < batches.size(); i++) {
            accepted.addAll(outcome(batches.get(i), sizes.get(i)));
        }
        return accepted;
    }

    /**
     * A batch's per-entry outcome. A failure sendBatch did not expect counts as not sent, so the
     * caller releases those claims and the retry re-sends: at worst a second message, which the
     * worker's idempotency absorbs, never a lost one.
     */
    private static List<Boolean> outcome(CompletableFuture<List<Boolean>> batch, int size) {
        try {
            return batch.join();
        } catch (CompletionException | CancellationException unexpected) {
            return java.util.Collections.nCopies(size, false);
        }
    }

    private boolean sendOne(EventEnvelope envelope, String body) {
        try {
            sqs.sendMessage(send -> send.queueUrl(resources.eventsQueueUrl())
                    .messageBody(body)
                    .messageAttributes(attributes(envelope)));
            return true;
        } catch (SdkException failed) {
            return false;
        }
    }

    private List<Boolean> sendBatch(List<EventEnvelope> envelopes, List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(bodies.get(i))
                    .messageAttributes(attributes(envelopes.get(i)))
                    .build());
        }
        List<Boolean> accepted = new ArrayList<>(java.util.Collections.nCopies(envelopes.size(), false));
        try {
            SendMessageBatchResponse response = sqs.sendMessageBatch(batch -> batch
                    .queueUrl(resources.eventsQueueUrl()).entries(entries));
            response.successful().forEach(ok -> accepted.set(Integer.parseInt(ok.id()), true));
        } catch (SdkException failed) {
            // every entry of this batch counts as not sent
        }
        return accepted;
    }

    /** The end (exclusive) of the batch starting at {@code start}: at most 10 entries and 1 MiB. */
    private static int batchEnd(List<String> bodies, int start) {
        int end = start;
        long bytes = 0;
        while (end < bodies.size() && end - start < MAX_BATCH_ENTRIES) {
            long size = bodies.get(end).getBytes(StandardCharsets.UTF_8).length + 512L;
            if (end > start && bytes + size > StackDefinition.MAX_MESSAGE_BYTES) {
                break;
            }
            bytes += size;
            end++;
        }
        return end;
    }

    private static Map<String, MessageAttributeValue> attributes(EventEnvelope envelope) {
        Map<String, MessageAttributeValue> attributes = new java.util.HashMap<>();
        attributes.put("tenant", string(envelope.id().tenant()));
        attributes.put("source", string(envelope.id().source()));
        if (!envelope.eventType().isBlank()) {
            attributes.put("eventType", string(envelope.eventType()));
        }
        return attributes;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
