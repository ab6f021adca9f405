package dev.ledgerhook.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.ledger.EventId;

class EnvelopeCodecTest {

    @Test
    void anEnvelopeRoundTripsAndEmbedsThePayloadAsJson() throws Exception {
        String payload = "{\"id\":\"evt_1\",\"note\":\"quotes \\\" and unicode \u00e9\",\"n\":[1,2]}";
        EventEnvelope envelope = new EventEnvelope(new EventId("acme", "stripe", "evt_1"), "stripe", "charge.succeeded",
                1_700_000_000_000L, "abc123", 1_700_000_001_000L, payload);

        String body = EnvelopeCodec.encode(envelope);
        EventEnvelope decoded = EnvelopeCodec.decode(body);

        assertEquals(envelope.id(), decoded.id());
        assertEquals(envelope.version(), decoded.version());
        assertEquals(envelope.payloadHash(), decoded.payloadHash());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(payload), json.readTree(decoded.payload()));
        assertEquals(json.readTree(payload), json.readTree(body).get("payload"), "embedded as JSON, not as a string");
    }

    @Test
    void malformedEnvelopesAreRefusedWithTheirReason() {
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decode("not json"));
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decode("[]"));
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decode("{\"v\":2}"));
        MalformedEnvelopeException badId = assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decode(
                "{\"v\":1,\"tenant\":\"Bad#\",\"source\":\"s\",\"eventKey\":\"k\",\"sourceType\":\"stripe\","
                        + "\"eventType\":\"t\",\"version\":1,\"payloadHash\":\"h\",\"receivedAt\":1,\"payload\":{}}"));
        assertEquals(true, badId.getMessage().contains("invalid event id"));
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decode(
                "{\"v\":1,\"tenant\":\"a\",\"source\":\"s\",\"eventKey\":\"k\",\"sourceType\":\"stripe\","
                        + "\"eventType\":\"t\",\"version\":\"x\",\"payloadHash\":\"h\",\"receivedAt\":1,\"payload\":{}}"));
    }
}
