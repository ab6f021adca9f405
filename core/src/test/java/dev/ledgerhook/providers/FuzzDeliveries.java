package dev.ledgerhook.providers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.queue.EnvelopeChecks;
import dev.ledgerhook.queue.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the fuzz tests share. A fuzz input is read like an HTTP message: "Name: value" lines, an
 * empty line, then the body (no empty line: the whole input is the body, no headers). That keeps
 * the committed corpus readable and lets the fuzzer mutate headers and body alike.
 *
 * <p>The checks here are written independently of the production code: signatures with
 * javax.crypto, the envelope checks in {@link EnvelopeChecks}.
 */
final class FuzzDeliveries {

    /** A fixed clock: the corpus holds validly signed deliveries that must stay valid. */
    static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    static final String STRIPE = "whsec_fuzzStripeSecret";
    static final String STRIPE_ROTATED = "whsec_fuzzStripeRotated";
    static final String SHOPIFY = "fuzz_shopify_secret";
    static final String QUICKBOOKS = "fuzz_quickbooks_token";
    static final String XERO = "fuzz_xero_key";
    static final String STANDARD = "whsec_ZnV6el9zdGFuZGFyZF9zZWNyZXRfa2V5XzMyYnl0ZXM=";
    static final String FINCH = "ZnV6el9maW5jaF9zZWNyZXRfa2V5XzMyYnl0ZXMhISE=";
    static final String ROTATED = "rotated_secret_of_the_source";

    private FuzzDeliveries() {}

    static List<String> secrets(SourceType type) {
        return switch (type) {
            case STRIPE -> List.of(STRIPE, STRIPE_ROTATED);
            case SHOPIFY -> List.of(SHOPIFY, ROTATED);
            case QUICKBOOKS -> List.of(QUICKBOOKS, ROTATED);
            case XERO -> List.of(ROTATED, XERO);
            case STANDARD -> List.of(STANDARD, "whsec_" + Base64.getEncoder().encodeToString(ROTATED.getBytes(StandardCharsets.UTF_8)));
            case FINCH -> List.of(FINCH);
        };
    }

    /** Headers as HTTP carries them: ISO-8859-1 text; a repeated line is a repeated header. */
    static WebhookRequest request(byte[] input) {
        int split = indexOf(input, new byte[] {'\n', '\n'});
        if (split < 0) {
            return new WebhookRequest(Map.of(), input);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line : new String(input, 0, split, StandardCharsets.ISO_8859_1).split("\n", -1)) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        byte[] body = new byte[input.length - split - 2];
        System.arraycopy(input, split + 2, body, 0, body.length);
        return new WebhookRequest(headers, body);
    }

    /** The request with one header set to one value, whatever case or copies it had before. */
    static WebhookRequest withHeader(WebhookRequest request, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((key, values) -> {
            if (key == null || !key.equalsIgnoreCase(name)) {
                headers.put(key, values);
            }
        });
        headers.put(name, List.of(value));
        return new WebhookRequest(headers, request.body());
    }

    /** The header's value as the production code would read it, or null (absent, repeated joined). */
    static String header(WebhookRequest request, String name) {
        try {
            return request.header(name).map(String::strip).orElse(null);
        } catch (MalformedDeliveryException tooLong) {
            return null;
        }
    }

    /** The request signed as its provider signs, with the source's first secret, at {@link #NOW}. */
    static WebhookRequest signed(SourceType type, WebhookRequest request) {
        byte[] body = request.body();
        String t = Long.toString(NOW.getEpochSecond());
        return switch (type) {
            case STRIPE -> withHeader(request, "Stripe-Signature",
                    "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(utf8(STRIPE), concat(t + ".", body))));
            case SHOPIFY -> withHeader(request, "X-Shopify-Hmac-Sha256", base64(hmac(utf8(SHOPIFY), body)));
            case QUICKBOOKS -> withHeader(request, "intuit-signature", base64(hmac(utf8(QUICKBOOKS), body)));
            case XERO -> withHeader(request, "x-xero-signature", base64(hmac(utf8(XERO), body)));
            case STANDARD -> standardScheme(request, "webhook-id", "webhook-timestamp", "webhook-signature",
                    Base64.getDecoder().decode(STANDARD.substring("whsec_".length())));
            case FINCH -> standardScheme(request, "Finch-Event-Id", "Finch-Timestamp", "Finch-Signature",
                    Base64.getDecoder().decode(FINCH));
        };
    }

    private static WebhookRequest standardScheme(WebhookRequest request, String idHeader, String timestampHeader,
                                                 String signatureHeader, byte[] key) {
        String t = Long.toString(NOW.getEpochSecond());
        WebhookRequest timed = withHeader(request, timestampHeader, t);
        String id = header(timed, idHeader);
        String signature = "v1," + base64(hmac(key, concat((id == null ? "" : id) + "." + t + ".", request.body())));
        return withHeader(timed, signatureHeader, signature);
    }

    /**
     * What the ingest function does with parsed events, checked for each: the key fits the ledger,
     * key and type can be stored in DynamoDB and SQS (attributes), the payload is JSON, and the
     * envelope the queue carries is SQS-legal text that decodes to exactly what was encoded.
     */
    static void checkEvents(SourceType type, List<ProviderEvent> events) throws Exception {
        assertNotNull(events, "parse never returns null");
        for (ProviderEvent event : events) {
            assertFalse(event.eventKey().isEmpty(), "event key is empty");
            assertTrue(event.eventKey().length() <= 256, "event key is too long for the ledger");
            assertFalse(event.eventType().isEmpty(), "event type is empty");
            assertTrue(EnvelopeChecks.queueLegal(event.eventKey()), "event key holds characters DynamoDB/SQS cannot carry");
            assertTrue(EnvelopeChecks.queueLegal(event.eventType()), "event type (an SQS attribute) holds characters SQS refuses");
            JsonNode payload = EnvelopeChecks.EXACT.readTree(event.payload());
            assertTrue(payload != null && (payload.isObject() || payload.isArray()), "payload is a JSON object or array");
            EventEnvelope envelope = new EventEnvelope(new EventId("fuzz-tenant", type.id(), event.eventKey()),
                    type.id(), event.eventType(), event.version(), "0".repeat(64), NOW.toEpochMilli(), event.payload());
            EnvelopeChecks.roundTrip(envelope);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(String head, byte[] tail) {
        byte[] first = utf8(head);
        byte[] all = new byte[first.length + tail.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(tail, 0, all, first.length, tail.length);
        return all;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
