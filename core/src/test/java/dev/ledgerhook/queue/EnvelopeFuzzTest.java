package dev.ledgerhook.queue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.providers.ProviderJson;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The envelope codec under arbitrary queue messages and arbitrary events. Decoding anything may
 * only fail with {@link MalformedEnvelopeException} (the worker's poison path to the DLQ); anything
 * else would fail the whole batch again and again. Every envelope of a valid event encodes to a
 * body SQS accepts and decodes to what was encoded. Corpus:
 * {@code src/test/resources/dev/ledgerhook/queue/EnvelopeFuzzTestInputs/<target>/}.
 */
class EnvelopeFuzzTest {

    @FuzzTest
    void decode(byte[] input) throws Exception {
        EventEnvelope envelope;
        try {
            envelope = EnvelopeCodec.decode(new String(input, StandardCharsets.UTF_8));
        } catch (MalformedEnvelopeException poison) {
            return;
        }
        // what decoded once re-encodes and decodes to the same envelope (a redriven message stays the same event)
        EnvelopeChecks.roundTrip(envelope);
    }

    /**
     * An event as the ingest function would enqueue it. The input reads like a message: optional
     * "tenant:", "source:", "key:", "type:", "version:", "receivedAt:" and "reserialise" lines, an
     * empty line, then the payload (no empty line: all of it is the payload). The payload must be
     * JSON, since the providers parse every payload before it gets here; it is taken as sent, or
     * re-serialised as Xero's and QuickBooks' events are.
     */
    @FuzzTest
    void roundTrip(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        int split = text.indexOf("\n\n");
        Map<String, String> fields = new HashMap<>();
        if (split >= 0) {
            for (String line : text.substring(0, split).split("\n")) {
                int colon = line.indexOf(':');
                fields.put(colon < 0 ? line : line.substring(0, colon), colon < 0 ? "" : line.substring(colon + 1).strip());
            }
        }
        String payload = split < 0 ? text : text.substring(split + 2);
        String eventKey = fields.getOrDefault("key", "evt_1");
        String eventType = fields.getOrDefault("type", "customer.created");
        if (eventKey.isEmpty() || eventKey.length() > 256 || eventType.isEmpty()
                || !EnvelopeChecks.queueLegal(eventKey) || !EnvelopeChecks.queueLegal(eventType)) {
            return; // the providers refuse such keys and types (see ProviderFuzzTest)
        }
        JsonNode tree;
        try {
            tree = ProviderJson.read(payload);
        } catch (Exception notJson) {
            return;
        }
        if (!(tree.isObject() || tree.isArray())) {
            return;
        }
        String sent = fields.containsKey("reserialise") ? ProviderJson.write(tree) : payload;
        EventEnvelope envelope = new EventEnvelope(
                new EventId(name(fields.get("tenant"), "acme"), name(fields.get("source"), "stripe"), eventKey),
                "stripe", eventType, number(fields.get("version")), "f".repeat(64), number(fields.get("receivedAt")), sent);
        EnvelopeChecks.roundTrip(envelope);
        // re-serialising keeps every value but not every number's spelling (a long run found 41e-00
        // written back as 41), so here numbers compare by value; the queue itself keeps the text
        assertTrue(EnvelopeChecks.EXACT.readTree(payload).equals(SAME_VALUE, EnvelopeChecks.EXACT.readTree(sent)),
                "re-serialising changed a value");
    }

    /** Equal nodes, and numbers of equal value whatever their form (1e0 and 1, 1.10 and 1.1). */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text.hashCode();
        }
    }

    /** A name the URL pattern allows, made of the fuzzed text where possible. */
    private static String name(String fuzzed, String fallback) {
        if (fuzzed == null) {
            return fallback;
        }
        String name = fuzzed.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "");
        return EventId.NAME.matcher(name).matches() ? name : fallback;
    }
}
