package dev.ledgerhook.worker.mappings;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading the fields mappings need, with a clear error when one is missing. */
final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    static JsonNode parse(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() && !value.isNumber() || value.asText().isBlank()) {
            throw new IllegalArgumentException("payload has no '" + field + "'");
        }
        return value.asText();
    }

    static Optional<String> optional(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() || value.isNumber()
                ? Optional.of(value.asText()) : Optional.empty();
    }

    /** Minor units (Stripe cents) to an amount. */
    static BigDecimal cents(JsonNode node, String field) {
        if (!node.path(field).canConvertToLong()) {
            throw new IllegalArgumentException("payload has no integer '" + field + "'");
        }
        return BigDecimal.valueOf(node.path(field).asLong(), 2);
    }

    static BigDecimal decimal(JsonNode node, String field) {
        try {
            return new BigDecimal(node.path(field).asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("payload has no decimal '" + field + "'");
        }
    }

    /** ISO-8601 with an offset (QuickBooks writes {@code -07:00} or {@code -0700}), or 0 when unreadable. */
    static long instant(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]xx"))
                        .toInstant().toEpochMilli();
            } catch (RuntimeException again) {
                try {
                    return Instant.parse(text).toEpochMilli();
                } catch (RuntimeException last) {
                    return 0;
                }
            }
        }
    }
}
