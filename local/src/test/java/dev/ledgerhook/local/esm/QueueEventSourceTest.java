package dev.ledgerhook.local.esm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.local.lambda.Invocation;
import dev.ledgerhook.teststack.EmbeddedEmulators;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local event source mapping against ElasticMQ, with a stand-in worker that answers as told:
 * what stays on the queue after a partial failure, a failed invocation, or a bad answer.
 */
class QueueEventSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedEmulators emulators;
    private static SqsClient sqs;
    private static int queues;

    @BeforeAll
    static void start() {
        emulators = EmbeddedEmulators.start();
        sqs = emulators.sqs();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        emulators.close();
    }

    @Test
    void onlyTheReportedFailuresStayOnTheQueue() throws Exception {
        String queue = queueWith("m0", "m1", "m2", "m3", "m4");
        List<JsonNode> events = runUntilInvoked(queue, 5, event -> failures(event, Set.of("m1", "m3")));
        JsonNode record = events.get(0).path("Records").get(0);
        assertEquals("aws:sqs", record.path("eventSource").asText());
        assertEquals("1", record.path("attributes").path("ApproximateReceiveCount").asText());
        assertEquals(Set.of("m1", "m3"), remaining(queue));
    }

    @Test
    void aFailedInvocationLeavesTheWholeBatch() throws Exception {
        String queue = queueWith("m0", "m1", "m2");
        runUntilInvoked(queue, 3, event -> new Invocation.ContainerFailed("container died"));
        assertEquals(Set.of("m0", "m1", "m2"), remaining(queue));
    }

    @Test
    void anAnswerNamingAnUnknownMessageFailsTheWholeBatch() throws Exception {
        String queue = queueWith("m0", "m1");
        runUntilInvoked(queue, 2, event -> response("{\"batchItemFailures\":[{\"itemIdentifier\":\"not-a-message\"}]}"));
        assertEquals(Set.of("m0", "m1"), remaining(queue));
    }

    @Test
    void batchesHoldAtMostTheBatchSize() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            bodies.add("m" + i);
        }
        String queue = queueWith(bodies.toArray(String[]::new));
        List<JsonNode> events = runUntilInvoked(queue, 25, event -> response("{\"batchItemFailures\":[]}"));
        assertTrue(events.stream().allMatch(event -> event.path("Records").size() <= 10), "batches of at most 10");
        assertEquals(Set.of(), remaining(queue));
    }

    /** Runs the mapping until the worker has seen {@code messages} records, then stops it. */
    private static List<JsonNode> runUntilInvoked(String queue, int messages,
                                                  Function<JsonNode, Invocation.Result> worker) throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        QueueEventSource source = QueueEventSource.start(sqs, queue, event -> {
            JsonNode json = read(event);
            events.add(json);
            return CompletableFuture.completedFuture(worker.apply(json));
        }, new QueueEventSource.Settings(10, 1, 2), line -> { });
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (events.stream().mapToInt(e -> e.path("Records").size()).sum() < messages
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // the deletes follow the answer
        } finally {
            source.close();
        }
        return events;
    }

    private static Invocation.Result failures(JsonNode event, Set<String> failingBodies) {
        StringBuilder answer = new StringBuilder("{\"batchItemFailures\":[");
        String separator = "";
        for (JsonNode record : event.path("Records")) {
            if (failingBodies.contains(record.path("body").asText())) {
                answer.append(separator).append("{\"itemIdentifier\":\"").append(record.path("messageId").asText()).append("\"}");
                separator = ",";
            }
        }
        return response(answer.append("]}").toString());
    }

    private static Invocation.Result response(String json) {
        return new Invocation.Response(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh queue whose messages come back 1 s after a receive, holding {@code bodies}. */
    private static String queueWith(String... bodies) {
        String url = sqs.createQueue(create -> create.queueName("esm-test-" + (++queues))
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
        for (String body : bodies) {
            sqs.sendMessage(send -> send.queueUrl(url).messageBody(body));
        }
        return url;
    }

    /** The bodies still on the queue, once the visibility time-out has passed. */
    private static Set<String> remaining(String queue) throws InterruptedException {
        Thread.sleep(1500);
        Set<String> bodies = new HashSet<>();
        for (int empty = 0; empty < 2; ) {
            var messages = sqs.receiveMessage(receive -> receive.queueUrl(queue).maxNumberOfMessages(10)
                    .visibilityTimeout(30).waitTimeSeconds(1)).messages();
            empty = messages.isEmpty() ? empty + 1 : 0;
            messages.forEach(message -> bodies.add(message.body()));
        }
        return bodies;
    }

    private static JsonNode read(byte[] event) {
        try {
            return JSON.readTree(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
