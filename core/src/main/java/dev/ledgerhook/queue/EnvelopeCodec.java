package dev.ledgerhook.queue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.ledgerhook.ledger.EventId;

/**
 * Envelope JSON, version 1. The payload is embedded as JSON, not as an escaped string, so an
 * envelope is the payload plus a few hundred bytes whatever the payload holds.
 *
 * <p>What the worker decodes is what the provider sent, character for character (1.10 stays
 * 1.10, 1e400 stays 1e400 instead of becoming the non-JSON "Infinity"), except that characters
 * SQS cannot carry are escaped on the way in, which leaves the JSON value unchanged.
 */
public final class EnvelopeCodec {

    public static final int VERSION = 1;

    /**
     * Jackson's default nesting limit (1000) is what the providers accept in a payload; the
     * envelope adds one level around it, so decoding allows more than any accepted payload needs.
     */
    private static final int MAX_NESTING = 2000;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION) // one payload, one reading
            .build();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private EnvelopeCodec() {
    }

    /** {@code payload} must be valid JSON text; providers guarantee it by parsing it first. */
    public static String encode(EventEnvelope envelope) {
        StringWriter out = new StringWriter(envelope.payload().length() + 512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("v", VERSION);
            json.writeStringField("tenant", envelope.id().tenant());
            json.writeStringField("source", envelope.id().source());
            json.writeStringField("eventKey", envelope.id().eventKey());
            json.writeStringField("sourceType", envelope.sourceType());
            json.writeStringField("eventType", envelope.eventType());
            json.writeNumberField("version", envelope.version());
            json.writeStringField("payloadHash", envelope.payloadHash());
            json.writeNumberField("receivedAt", envelope.receivedAt());
            json.writeNumberField("expiresAt", envelope.expiresAt());
            json.writeFieldName("payload");
            json.writeRawValue(envelope.payload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return QueueText.escapeJson(out.toString());
    }

    public static EventEnvelope decode(String body) throws MalformedEnvelopeException {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new MalformedEnvelopeException("envelope is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEnvelopeException("envelope is not a JSON object");
        }
        if (node.path("v").asInt(-1) != VERSION) {
            throw new MalformedEnvelopeException("unsupported envelope version " + node.path("v"));
        }
        try {
            EventId id = new EventId(text(node, "tenant"), text(node, "source"), text(node, "eventKey"));
            JsonNode payload = node.get("payload");
            if (payload == null || !(payload.isObject() || payload.isArray())) {
                throw new MalformedEnvelopeException("envelope has no JSON payload");
            }
            long receivedAt = number(node, "receivedAt");
            long expiresAt = node.has("expiresAt") ? number(node, "expiresAt") : EventEnvelope.defaultExpiresAt(receivedAt);
            return new EventEnvelope(id, text(node, "sourceType"), text(node, "eventType"), number(node, "version"),
                    text(node, "payloadHash"), receivedAt, expiresAt, payloadText(body));
        } catch (IllegalArgumentException e) {
            throw new MalformedEnvelopeException("envelope has an invalid event id: " + e.getMessage());
        }
    }

    /**
     * The payload exactly as it was embedded, not re-written from a tree: numbers keep their form
     * (1.10, 1e0, 1E+400), so the worker reads what the provider sent and what payloadHash covers.
     * Only the escapes added by {@link #encode} differ, and they mean the same characters.
     */
    private static String payloadText(String body) throws MalformedEnvelopeException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if ("payload".equals(name)) {
                    int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
                    parser.skipChildren();
                    int end = Math.toIntExact(parser.currentLocation().getCharOffset());
                    return body.substring(start, end);
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // read once already as a tree, so not expected
        }
        throw new MalformedEnvelopeException("envelope payload cannot be located");
    }

    private static String text(JsonNode node, String field) throws MalformedEnvelopeException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedEnvelopeException("envelope field '" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) throws MalformedEnvelopeException {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new MalformedEnvelopeException("envelope field '" + field + "' is missing or not an integer");
        }
        return value.asLong();
    }
}
