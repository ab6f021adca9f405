package dev.ledgerhook.outcomes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.tracing.LogContext;
import dev.ledgerhook.tracing.TraceHeader;

class OutcomeLogTest {

    @Test
    void aLineIsOneJsonObjectThatCloudWatchReadsAsMetricsAndAsALogRecord() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tenant", "acme");
        fields.put("eventKey", "evt_\"quoted\"\nnewline");
        fields.put("deliveries", 3L);
        fields.put("missing", null);

        String line = OutcomeLog.line("ingest", "duplicate", 4.567, fields);

        assertFalse(line.contains("\n"), "one line, whatever the fields hold");
        JsonNode json = new ObjectMapper().readTree(line);
        JsonNode directive = json.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("Ledgerhook", directive.path("Namespace").asText());
        assertEquals("[[\"function\",\"outcome\"]]", directive.path("Dimensions").toString());
        assertEquals("Outcomes", directive.path("Metrics").get(0).path("Name").asText());
        assertEquals(1, json.path("Outcomes").asInt());
        assertEquals(4.57, json.path("LatencyMs").asDouble());
        assertEquals("duplicate", json.path("outcome").asText());
        assertEquals("evt_\"quoted\"\nnewline", json.path("eventKey").asText());
        assertEquals(3, json.path("deliveries").asInt());
        assertFalse(json.has("missing"));
    }

    @Test
    void aLineCarriesTheInvocationsRequestAndTraceIdsFromTheMdc() throws Exception {
        System.setProperty(TraceHeader.PROPERTY, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        String line;
        try (LogContext context = LogContext.open("c6af9ac6-7b61-11e6-9a41-93e812345678")) {
            line = OutcomeLog.line("worker", "completed", 1, Map.of("tenant", "acme"));
        } finally {
            System.clearProperty(TraceHeader.PROPERTY);
        }

        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("c6af9ac6-7b61-11e6-9a41-93e812345678", json.path("requestId").asText());
        assertEquals("1-5759e988-bd862e3fe1be46a994272793", json.path("traceId").asText());
        assertEquals("acme", json.path("tenant").asText());
    }

    @Test
    void aRequestWithoutATraceHeaderHasOnlyTheRequestId() throws Exception {
        String line;
        try (LogContext context = LogContext.open("req-1")) {
            line = OutcomeLog.line("ingest", "accepted", 1, Map.of());
        }

        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("req-1", json.path("requestId").asText());
        assertFalse(json.has("traceId"));
    }

    @Test
    void outsideAnInvocationTheIdsAreAbsentAndClosingClearsThem() throws Exception {
        try (LogContext context = LogContext.open("req-2")) {
            assertTrue(OutcomeLog.line("ingest", "accepted", 1, Map.of()).contains("req-2"));
        }

        JsonNode json = new ObjectMapper().readTree(OutcomeLog.line("ingest", "accepted", 1, Map.of("tenant", "acme")));
        assertFalse(json.has("requestId"));
        assertFalse(json.has("traceId"));
    }

    @Test
    void aFieldOfTheSameNameIsNotWrittenTwice() throws Exception {
        String line;
        try (LogContext context = LogContext.open("from-mdc")) {
            line = OutcomeLog.line("ingest", "accepted", 1, Map.of("requestId", "from-field"));
        }

        assertEquals(1, line.split("\"requestId\"", -1).length - 1, line);
        assertEquals("from-field", new ObjectMapper().readTree(line).path("requestId").asText());
    }
}
