package dev.ledgerhook.worker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.connections.QuickBooksConnections;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Plays the SQS event source mapping against the real ElasticMQ queue: receives a batch, hands it
 * to the handler, deletes what it acknowledged. Also connects tenants to simulated companies.
 */
@ApplicationScoped
class WorkerFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    SqsClient sqs;
    @Inject
    StackResources resources;
    @Inject
    QuickBooksConnections connections;
    @Inject
    EventBatchHandler handler;

    /** A tenant connected to a fresh simulated company; returns the realm id. */
    String connect(String tenant) {
        String realm = Long.toString(9_130_351_000_000_000L + (long) (Math.random() * 999_999_999L));
        String refresh = "rt-" + UUID.randomUUID();
        WorkerTestResource.simulator.addRealm(realm, "worker-client", "worker-secret", refresh);
        connections.connect(tenant, realm, "worker-client", "inline:worker-secret", refresh);
        return realm;
    }

    static String newTenant() {
        return "w-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static EventEnvelope stripe(String tenant, String eventId, String type, long version, String object) {
        String payload = "{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"created\":" + version / 1000
                + ",\"data\":{\"object\":" + object + "}}";
        return new EventEnvelope(new EventId(tenant, "stripe", eventId), "stripe", type, version, "hash-" + eventId,
                System.currentTimeMillis(), payload);
    }

    void enqueue(EventEnvelope... envelopes) {
        for (EventEnvelope envelope : envelopes) {
            sqs.sendMessage(send -> send.queueUrl(resources.eventsQueueUrl()).messageBody(EnvelopeCodec.encode(envelope)));
        }
    }

    /** Receives up to {@code max} messages of these tenants (others go back) as one SQS event. */
    SQSEvent receive(int max, Set<String> tenants) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        int emptyRounds = 0;
        for (int round = 0; round < 20 && records.size() < max && emptyRounds < 3; round++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(resources.eventsQueueUrl())
                    .maxNumberOfMessages(Math.min(10, max - records.size())).waitTimeSeconds(1).visibilityTimeout(60)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (messages.isEmpty() && !records.isEmpty()) {
                break;
            }
            emptyRounds += messages.isEmpty() ? 1 : 0;
            for (Message message : messages) {
                if (tenants.stream().anyMatch(t -> message.body().contains("\"tenant\":\"" + t + "\""))) {
                    records.add(toRecord(message));
                } else {
                    sqs.changeMessageVisibility(c -> c.queueUrl(resources.eventsQueueUrl())
                            .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
                }
            }
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** The event source mapping's part: run the batch, delete what was acknowledged. */
    SQSBatchResponse deliver(SQSEvent batch) {
        return deliver(batch, null);
    }

    /** {@link #deliver(SQSEvent)} in an invocation with this Lambda context. */
    SQSBatchResponse deliver(SQSEvent batch, com.amazonaws.services.lambda.runtime.Context context) {
        SQSBatchResponse response = handler.handleRequest(batch, context);
        Set<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            if (!failed.contains(message.getMessageId())) {
                sqs.deleteMessage(d -> d.queueUrl(resources.eventsQueueUrl()).receiptHandle(message.getReceiptHandle()));
            }
        }
        return response;
    }

    /**
     * Takes this tenant's letters out of the DLQ. Other tenants' letters go back; the scan ends when a
     * receive brings nothing new (a test that failed earlier may have left letters behind: without
     * that stop, they kept the loop going for ever).
     */
    List<Message> drainDeadLetters(String tenant) {
        List<Message> found = new ArrayList<>();
        Set<String> others = new java.util.HashSet<>();
        for (int round = 0; round < 50; round++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(resources.eventsDlqUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")).messages();
            boolean anythingNew = false;
            for (Message message : messages) {
                if (message.body().contains("\"tenant\":\"" + tenant + "\"")) {
                    found.add(message);
                    anythingNew = true;
                    sqs.deleteMessage(d -> d.queueUrl(resources.eventsDlqUrl()).receiptHandle(message.receiptHandle()));
                } else {
                    anythingNew |= others.add(message.messageId());
                    sqs.changeMessageVisibility(c -> c.queueUrl(resources.eventsDlqUrl())
                            .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
                }
            }
            if (!anythingNew) {
                return found;
            }
        }
        return found;
    }

    JsonNode stats(String realm) {
        return sim("GET", "/sim/stats/" + realm, null);
    }

    JsonNode sim(String method, String path, String body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(WorkerTestResource.simulator.baseUrl() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SQSEvent.SQSMessage toRecord(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setAttributes(Map.of("ApproximateReceiveCount",
                message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")));
        return record;
    }
}
