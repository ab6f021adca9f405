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
    void theClaimsTtlTravelsWithTheEnvelopeAndAnOlderEnvelopeGetsTheDefaultRetention() throws Exception {
        EventEnvelope envelope = new EventEnvelope(new EventId("acme", "stripe", "evt_1"), "stripe", "charge.succeeded",
                1, "abc123", 1_700_000_001_000L, 1_700_259_201L, "{}");
        assertEquals(1_700_259_201L, EnvelopeCodec.decode(EnvelopeCodec.encode(envelope)).expiresAt());

        EventEnvelope older = EnvelopeCodec.decode("{\"v\":1,\"tenant\":\"a\",\"source\":\"s\",\"eventKey\":\"k\","
                + "\"sourceType\":\"stripe\",\"eventType\":\"t\",\"version\":1,\"payloadHash\":\"h\","
                + "\"receivedAt\":1700000001000,\"payload\":{}}");
        assertEquals(1_700_000_001L + 30 * 86_400, older.expiresAt());
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

    /** Found by EnvelopeFuzzTest: the worker got 1.1 for 1.10, 0.1 for a long decimal, and "Infinity" for 1e400. */
    @Test
    void decimalsReachTheWorkerExactly() throws Exception {
        String payload = "{\"amount\":1.10,\"rate\":0.1000000000000000055511151231257827,\"exp\":1e400,\"big\":123456789012345678901234567890}";
        EventEnvelope decoded = EnvelopeCodec.decode(EnvelopeCodec.encode(envelope(payload)));

        assertEquals(EnvelopeChecks.EXACT.readTree(payload), EnvelopeChecks.EXACT.readTree(decoded.payload()));
        assertEquals(true, decoded.payload().contains("1.10"));
        assertEquals(false, decoded.payload().contains("Infinity"));
    }

    /** Found by ProviderFuzzTest (long run): 1e0 came back as the integer 1; the payload is now carried as written. */
    @Test
    void thePayloadComesBackAsWritten() throws Exception {
        String payload = "{ \"a\": 1e0, \"b\": [1.10, -0.0, 1E+2],\n \"c\": \"\\u00e9\" }";
        assertEquals(payload, EnvelopeCodec.decode(EnvelopeCodec.encode(envelope(payload))).payload());
    }

    @Test
    void anEnvelopeWithTwoPayloadsIsMalformed() {
        String body = EnvelopeCodec.encode(envelope("{\"a\":1}"));
        assertThrows(MalformedEnvelopeException.class,
                () -> EnvelopeCodec.decode(body.substring(0, body.length() - 1) + ",\"payload\":{\"a\":2}}"));
    }

    /** Found by ProviderFuzzTest: U+FFFF and lone surrogates made SQS refuse the message, 503 on every retry. */
    @Test
    void charactersSqsCannotCarryAreEscapedAndComeBackUnchanged() throws Exception {
        String payload = "{\"name\":\"a\uffffb\ufffe\",\"lone\":\"x\ud800y\udc00\",\"pair\":\"\ud83d\ude00\"}";
        String body = EnvelopeCodec.encode(envelope(payload));

        assertEquals(true, EnvelopeChecks.queueLegal(body), body);
        assertEquals(true, body.contains("\ud83d\ude00"), "a valid pair is carried as it is");
        EventEnvelope decoded = EnvelopeCodec.decode(body);
        assertEquals(EnvelopeChecks.EXACT.readTree(payload), EnvelopeChecks.EXACT.readTree(decoded.payload()));
        assertEquals("a\uffffb\ufffe", EnvelopeChecks.EXACT.readTree(decoded.payload()).get("name").asText());
    }

    /** A payload as deeply nested as the providers accept still decodes inside its envelope. */
    @Test
    void aPayloadAtTheProvidersNestingLimitDecodes() throws Exception {
        String payload = "{\"x\":" + "[".repeat(999) + "]".repeat(999) + "}";
        EventEnvelope decoded = EnvelopeCodec.decode(EnvelopeCodec.encode(envelope(payload)));
        assertEquals(EnvelopeChecks.EXACT.readTree(payload), EnvelopeChecks.EXACT.readTree(decoded.payload()));
    }

    private static EventEnvelope envelope(String payload) {
        return new EventEnvelope(new EventId("acme", "stripe", "evt_1"), "stripe", "charge.succeeded",
                1_700_000_000_000L, "abc123", 1_700_000_001_000L, payload);
    }
}
