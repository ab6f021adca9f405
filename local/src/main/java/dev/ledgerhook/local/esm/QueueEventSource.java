package dev.ledgerhook.local.esm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ledgerhook.local.lambda.Invocation;
import dev.ledgerhook.local.lambda.FunctionInvoker;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The local stand-in for the template's SQS event source mapping with
 * {@code ReportBatchItemFailures}: pollers (the mapping's maximum concurrency) receive batches,
 * invoke the worker with an {@code SQSEvent}, and delete the messages it did not report as
 * failed. When the invocation itself fails (the function threw, its container died, it timed out)
 * nothing is deleted and the whole batch comes back after its visibility time-out, as in AWS. A
 * response naming an id that is not in the batch fails the whole batch too.
 */
public final class QueueEventSource implements AutoCloseable {

    /** The mapping's settings, as in the template. */
    public record Settings(int batchSize, int batchingWindowSeconds, int maximumConcurrency) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final FunctionInvoker worker;
    private final Settings settings;
    private final Consumer<String> log;
    private final ExecutorService pollers;
    private volatile boolean closed;

    private QueueEventSource(SqsClient sqs, String queueUrl, FunctionInvoker worker, Settings settings, Consumer<String> log) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = "arn:aws:sqs:us-east-1:000000000000:" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        this.worker = worker;
        this.settings = settings;
        this.log = log;
        this.pollers = Executors.newFixedThreadPool(settings.maximumConcurrency());
    }

    public static QueueEventSource start(SqsClient sqs, String queueUrl, FunctionInvoker worker, Settings settings,
                                         Consumer<String> log) {
        QueueEventSource source = new QueueEventSource(sqs, queueUrl, worker, settings, log);
        for (int i = 0; i < settings.maximumConcurrency(); i++) {
            source.pollers.submit(source::poll);
        }
        return source;
    }

    private void poll() {
        while (!closed) {
            try {
                List<Message> batch = sqs.receiveMessage(receive -> receive.queueUrl(queueUrl)
                        .maxNumberOfMessages(settings.batchSize())
                        .waitTimeSeconds(settings.batchingWindowSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    log.accept("[event-source] " + e.getClass().getSimpleName() + ": " + e.getMessage() + "; retrying in 1 s");
                    sleep(1000);
                }
            }
        }
    }

    private void deliver(List<Message> batch) {
        Invocation.Result result = worker.invoke(event(batch)).join();
        Set<String> failed = failedIds(result, batch);
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : batch) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(message.messageId())
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(delete -> delete.queueUrl(queueUrl).entries(done));
        }
    }

    /** The ids to keep on the queue: the reported failures, or all of them when the invocation failed. */
    private Set<String> failedIds(Invocation.Result result, List<Message> batch) {
        Set<String> all = new HashSet<>(batch.stream().map(Message::messageId).toList());
        if (!(result instanceof Invocation.Response response)) {
            log.accept("[event-source] worker invocation failed (" + describe(result) + "); " + batch.size()
                    + " messages return after their visibility time-out");
            return all;
        }
        Set<String> failed = new HashSet<>();
        try {
            JsonNode failures = JSON.readTree(response.body()).path("batchItemFailures");
            for (JsonNode failure : failures) {
                String id = failure.path("itemIdentifier").asText("");
                if (!all.contains(id)) {
                    log.accept("[event-source] worker reported unknown item '" + id + "': the whole batch fails");
                    return all;
                }
                failed.add(id);
            }
            return failed;
        } catch (Exception unreadable) {
            log.accept("[event-source] unreadable worker response: the whole batch fails");
            return all;
        }
    }

    private byte[] event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject()
                    .put("messageId", message.messageId())
                    .put("receiptHandle", message.receiptHandle())
                    .put("body", message.body())
                    .put("md5OfBody", message.md5OfBody())
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", queueArn)
                    .put("awsRegion", "us-east-1");
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
        }
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode attribute(MessageAttributeValue value) {
        ObjectNode node = JSON.createObjectNode().put("stringValue", value.stringValue()).put("dataType", value.dataType());
        node.putArray("stringListValues");
        node.putArray("binaryListValues");
        return node;
    }

    private static String describe(Invocation.Result result) {
        if (result instanceof Invocation.FunctionError error) {
            return "error " + error.type();
        }
        if (result instanceof Invocation.ContainerFailed failed) {
            return failed.reason();
        }
        return String.valueOf(result);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        pollers.shutdownNow();
    }
}
