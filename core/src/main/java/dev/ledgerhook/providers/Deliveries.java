package dev.ledgerhook.providers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ledgerhook.queue.QueueText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Header, body, JSON and timestamp handling shared by the providers. */
final class Deliveries {

    static final int MAX_EVENT_KEY_LENGTH = 256;

    /**
     * Strict on purpose: trailing garbage and duplicate keys are refused so that what we store is
     * what the signature covered, unambiguously. Decimals are kept exactly (BigDecimal, no
     * normalisation) because batched payloads are re-serialised and may carry money amounts.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /** ISO-8601 date-time with an optional offset written "+07:00", "+0700" or "Z"; no offset means UTC. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    private Deliveries() {}

    /** A header needed for verification; a repeated one counts as a failed verification, not a 400. */
    static Optional<String> signedHeader(WebhookRequest request, String name) throws SignatureException {
        try {
            return request.header(name);
        } catch (MalformedDeliveryException e) {
            throw new SignatureException(e.getMessage());
        }
    }

    static String requiredSignedHeader(WebhookRequest request, String name) throws SignatureException {
        Optional<String> value = signedHeader(request, name);
        if (value.isEmpty() || value.get().isBlank()) {
            throw new SignatureException("missing " + name + " header");
        }
        return value.get().strip();
    }

    static String requiredHeader(WebhookRequest request, String name) throws MalformedDeliveryException {
        Optional<String> value = request.header(name);
        if (value.isEmpty() || value.get().isBlank()) {
            throw new MalformedDeliveryException("missing " + name + " header");
        }
        return value.get().strip();
    }

    /**
     * The scheme Shopify, QuickBooks and Xero share: the header holds base64(HMAC-SHA256(body)) under
     * the secret's UTF-8 bytes.
     */
    static void verifyBodyHmac(WebhookRequest request, List<String> secrets, String header) throws SignatureException {
        String value = requiredSignedHeader(request, header);
        List<byte[]> keys = Crypto.utf8Keys(secrets);
        byte[] provided = Crypto.base64OrNull(value);
        if (provided == null) {
            throw new SignatureException(header + " header is not valid base64");
        }
        if (!Crypto.anyMatches(keys, request.body(), List.of(provided))) {
            throw new SignatureException("no matching signature in " + header + " header");
        }
    }

    /** The body as text; refuses invalid UTF-8 instead of silently replacing bytes the signature covered. */
    static String utf8(byte[] body) throws MalformedDeliveryException {
        if (body.length == 0) {
            throw new MalformedDeliveryException("empty body");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDeliveryException("body is not valid UTF-8");
        }
    }

    static JsonNode json(String text) throws MalformedDeliveryException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new MalformedDeliveryException("body is not JSON");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            throw new MalformedDeliveryException("body is not valid JSON");
        }
    }

    static JsonNode jsonObject(String text) throws MalformedDeliveryException {
        JsonNode node = json(text);
        if (!node.isObject()) {
            throw new MalformedDeliveryException("body is not a JSON object");
        }
        return node;
    }

    static String compact(JsonNode node) throws MalformedDeliveryException {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException | RuntimeException e) {
            throw new MalformedDeliveryException("event cannot be serialised");
        }
    }

    static JsonNode field(JsonNode object, String field, String where) throws MalformedDeliveryException {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedDeliveryException("missing field " + field + " in " + where);
        }
        return value;
    }

    static String text(JsonNode object, String field, String where) throws MalformedDeliveryException {
        JsonNode value = field(object, field, where);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedDeliveryException("field " + field + " in " + where + " is not a non-empty string");
        }
        return value.asText();
    }

    static JsonNode array(JsonNode object, String field, String where) throws MalformedDeliveryException {
        JsonNode value = field(object, field, where);
        if (!value.isArray()) {
            throw new MalformedDeliveryException("field " + field + " in " + where + " is not an array");
        }
        return value;
    }

    static JsonNode object(JsonNode node, String where) throws MalformedDeliveryException {
        if (node == null || !node.isObject()) {
            throw new MalformedDeliveryException(where + " is not a JSON object");
        }
        return node;
    }

    static long epochSecondsToMillis(long seconds) throws MalformedDeliveryException {
        try {
            return Math.multiplyExact(seconds, 1000L);
        } catch (ArithmeticException e) {
            throw new MalformedDeliveryException("timestamp out of range");
        }
    }

    /** Unix seconds as plain digits; the signed text must have exactly one reading. */
    static Optional<Long> unixSeconds(String text) {
        if (text == null || text.isEmpty() || text.length() > 15 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(text));
    }

    /** Whether seconds lies within tolerance of now, either way. Written without subtraction overflow. */
    static boolean withinTolerance(long seconds, Instant now, long toleranceSeconds) {
        long nowSeconds = now.getEpochSecond();
        return seconds >= nowSeconds - toleranceSeconds && seconds <= nowSeconds + toleranceSeconds;
    }

    /** Epoch millis of an ISO-8601 date-time; empty when it cannot be read. */
    static Optional<Long> isoMillis(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            TemporalAccessor parsed = TIMESTAMP.parseBest(text.strip(), OffsetDateTime::from, LocalDateTime::from);
            Instant instant = parsed instanceof OffsetDateTime offset
                    ? offset.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return Optional.of(instant.toEpochMilli());
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    static long requiredIsoMillis(String text, String field) throws MalformedDeliveryException {
        return isoMillis(text).orElseThrow(
                () -> new MalformedDeliveryException("field " + field + " is not an ISO-8601 date-time"));
    }

    /**
     * Builds an event, refusing keys the ledger could not store and keys or types the queue could not
     * carry (the type travels as an SQS message attribute, which cannot be escaped): such a delivery
     * is answered 400 at once instead of 503 on every retry.
     */
    static ProviderEvent event(String key, String type, long version, String payload) throws MalformedDeliveryException {
        if (key == null || key.isEmpty() || key.length() > MAX_EVENT_KEY_LENGTH) {
            throw new MalformedDeliveryException("event id is empty or longer than " + MAX_EVENT_KEY_LENGTH + " characters");
        }
        if (type == null || type.isEmpty()) {
            throw new MalformedDeliveryException("event type is empty");
        }
        if (!QueueText.isCarriable(key) || !QueueText.isCarriable(type)) {
            throw new MalformedDeliveryException("event id or type holds a control character, U+FFFE, U+FFFF "
                    + "or a lone surrogate");
        }
        return new ProviderEvent(key, type, version, payload);
    }
}
