package dev.ledgerhook.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.accounting.AccountingPort;
import dev.ledgerhook.connections.QuickBooksConnections;
import dev.ledgerhook.ledger.EventProgress;
import dev.ledgerhook.mirror.EntityMirror;
import dev.ledgerhook.outcomes.OutcomeLog;
import dev.ledgerhook.outcomes.PrintedLines;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.tracing.DaemonListener;
import dev.ledgerhook.tracing.TraceHeader;
import dev.ledgerhook.tracing.Tracer;
import dev.ledgerhook.worker.mappings.EventMappings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A batch's outcome lines carry the invocation's request id and trace id, from every message's
 * thread; a traced event's PROCESSING and COMPLETED marks are spans.
 */
@QuarkusTest
@QuarkusTestResource(WorkerTestResource.class)
class WorkerTracingAndLogIdsTest {

    private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
    private static final String SAMPLED = "Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1";

    @Inject
    WorkerFixture fixture;
    @Inject
    EventProgress progress;
    @Inject
    EventMappings mappings;
    @Inject
    AccountingPort accounting;
    @Inject
    EntityMirror mirror;
    @Inject
    QuickBooksConnections connections;
    @Inject
    TenantGuards guards;
    @Inject
    WorkerConfig config;
    @Inject
    OutcomeLog outcomes;

    private static EventEnvelope customerCreated(String tenant, String eventId, String customer) {
        return WorkerFixture.stripe(tenant, eventId, "customer.created", 1_000,
                "{\"id\":\"" + customer + "\",\"object\":\"customer\",\"name\":\"" + customer + "\"}");
    }

    @Test
    void everyOutcomeLineOfABatchCarriesTheRequestIdAndTraceId() throws Exception {
        String tenant = WorkerFixture.newTenant();
        fixture.connect(tenant);
        fixture.enqueue(customerCreated(tenant, "evt_ids_1", "cus_ids_1"), customerCreated(tenant, "evt_ids_2", "cus_ids_2"));
        SQSEvent batch = fixture.receive(2, Set.of(tenant));
        String requestId = UUID.randomUUID().toString();

        System.setProperty(TraceHeader.PROPERTY, SAMPLED);
        String printed;
        try {
            printed = PrintedLines.during(() -> fixture.deliver(batch, new LambdaContext(requestId))).text();
        } finally {
            System.clearProperty(TraceHeader.PROPERTY);
        }

        List<JsonNode> lines = linesOf(printed, tenant);
        assertEquals(2, lines.size(), printed);
        for (JsonNode line : lines) {
            assertEquals("completed", line.path("outcome").asText());
            assertEquals(requestId, line.path("requestId").asText(), line.toString());
            assertEquals(ROOT, line.path("traceId").asText(), line.toString());
        }
    }

    @Test
    void aBatchWithoutContextOrTraceHeaderHasNeither() throws Exception {
        String tenant = WorkerFixture.newTenant();
        fixture.connect(tenant);
        fixture.enqueue(customerCreated(tenant, "evt_no_ids", "cus_no_ids"));
        SQSEvent batch = fixture.receive(1, Set.of(tenant));

        JsonNode line = linesOf(PrintedLines.during(() -> fixture.deliver(batch)).text(), tenant).get(0);

        assertFalse(line.has("requestId"), line.toString());
        assertFalse(line.has("traceId"), line.toString());
    }

    @Test
    void aSampledEventsMarksAreSpans() throws Exception {
        String tenant = WorkerFixture.newTenant();
        fixture.connect(tenant);
        EventEnvelope event = customerCreated(tenant, "evt_marks", "cus_marks");
        try (DaemonListener daemon = new DaemonListener()) {
            Tracer tracer = new Tracer(true, () -> TraceHeader.parse(SAMPLED), daemon::address);
            EventProcessor processor = new EventProcessor(progress, mappings, accounting, mirror, connections, guards,
                    config, outcomes, tracer);

            assertInstanceOf(ProcessingOutcome.Completed.class,
                    processor.process(event, "msg-marks", System.currentTimeMillis() + 60_000));
            List<JsonNode> spans = daemon.received(1_000);

            assertEquals(List.of("mark-processing", "mark-completed"), spans.stream().map(s -> s.path("name").asText()).toList());
            for (JsonNode span : spans) {
                assertEquals(ROOT, span.path("trace_id").asText());
                assertEquals(tenant, span.path("annotations").path("tenant").asText());
                assertEquals("evt_marks", span.path("annotations").path("eventKey").asText());
                assertFalse(span.has("fault"));
            }
            assertEquals(1, spans.get(0).path("annotations").path("attempt").asInt());
            assertTrue(spans.get(0).path("annotations").path("proceed").asBoolean());
            assertTrue(spans.get(1).path("annotations").path("held").asBoolean());
            assertTrue(spans.get(0).path("end_time").asDouble() <= spans.get(1).path("start_time").asDouble());

            // a redelivery of the completed event only reads as done: one mark span, nothing to complete
            assertInstanceOf(ProcessingOutcome.AlreadyDone.class,
                    processor.process(event, "msg-marks-again", System.currentTimeMillis() + 60_000));
            List<JsonNode> again = daemon.received(1_000);
            assertEquals(List.of("mark-processing"), again.stream().map(s -> s.path("name").asText()).toList());
            assertFalse(again.get(0).path("annotations").path("proceed").asBoolean());
        }
    }

    private static List<JsonNode> linesOf(String printed, String tenant) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : printed.split("\n")) {
            if (line.startsWith("{") && line.contains("\"tenant\":\"" + tenant + "\"")) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    /** What Lambda hands the handler, as far as the worker reads it. */
    private record LambdaContext(String requestId) implements Context {
        public String getAwsRequestId() { return requestId; }
        public String getLogGroupName() { return "/aws/lambda/worker"; }
        public String getLogStreamName() { return "stream"; }
        public String getFunctionName() { return "worker"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:worker"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 60_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() { return null; }
    }
}
