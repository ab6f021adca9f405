package dev.ledgerhook.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** What must hold for every envelope the ingest function sends, checked without the codec's own reading. */
public final class EnvelopeChecks {

    /** Decimals exact (1.10 is not 1.1), nesting well beyond any production limit so the checker never fails first. */
    public static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static {
        EXACT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build());
    }

    private EnvelopeChecks() {
    }

    /** encode then decode gives back every field, and the payload's JSON exactly (decimals, unicode). */
    public static void roundTrip(EventEnvelope envelope) throws Exception {
        String body = EnvelopeCodec.encode(envelope);
        assertTrue(queueLegal(body), "the envelope holds characters an SQS message body cannot carry");
        EventEnvelope decoded;
        try {
            decoded = EnvelopeCodec.decode(body);
        } catch (MalformedEnvelopeException e) {
            throw new AssertionError("an encoded envelope does not decode: " + e.getMessage(), e);
        }
        assertEquals(envelope.id(), decoded.id());
        assertEquals(envelope.sourceType(), decoded.sourceType());
        assertEquals(envelope.eventType(), decoded.eventType());
        assertEquals(envelope.version(), decoded.version());
        assertEquals(envelope.payloadHash(), decoded.payloadHash());
        assertEquals(envelope.receivedAt(), decoded.receivedAt());
        assertEquals(EXACT.readTree(envelope.payload()), EXACT.readTree(decoded.payload()),
                "the payload's JSON changed on its way through the queue");
    }

    /**
     * The characters an SQS message body (and string attribute) may hold: #x9 | #xA | #xD |
     * #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. A lone surrogate has no UTF-8 form at all.
     */
    public static boolean queueLegal(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean legal = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!legal) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
