package dev.ledgerhook.outcomes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
}
