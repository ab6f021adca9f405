package dev.ledgerhook.operator.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An events-table item as an operator reads it: state, attempts, times, accounting ids, last error. */
final class EventView {

    /** Attribute, label, and whether it holds epoch milliseconds (shown as an instant). */
    private record Field(String attribute, String label, boolean millis) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("tenant", "tenant", false),
            new Field("source", "source", false),
            new Field("eventKey", "eventKey", false),
            new Field("eventType", "eventType", false),
            new Field("status", "status", false),
            new Field("deliveries", "deliveries", false),
            new Field("attempts", "attempts", false),
            new Field("receivedAt", "receivedAt", true),
            new Field("startedAt", "startedAt", true),
            new Field("finishedAt", "finishedAt", true),
            new Field("accountingIds", "accountingIds", false),
            new Field("reason", "reason", false),
            new Field("errorCode", "lastErrorCode", false),
            new Field("errorMessage", "lastError", false),
            new Field("latencyMs", "latencyMs", false),
            new Field("version", "version", false),
            new Field("payloadHash", "payloadHash", false));

    private EventView() {
    }

    static Map<String, Object> of(Map<String, AttributeValue> item) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (Field field : FIELDS) {
            AttributeValue value = item.get(field.attribute());
            if (value != null) {
                view.put(field.label(), field.millis() ? instant(value) : plain(value));
            }
        }
        AttributeValue expires = item.get("expiresAt");
        if (expires != null) {
            view.put("expiresAt", Instant.ofEpochSecond(Long.parseLong(expires.n())).toString());
        }
        return view;
    }

    /** Epoch milliseconds of an attribute, or 0 when absent. */
    static long millis(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static Object plain(AttributeValue value) {
        if (value.n() != null) {
            return Long.parseLong(value.n());
        }
        return value.s();
    }

    private static String instant(AttributeValue value) {
        return Instant.ofEpochMilli(Long.parseLong(value.n())).toString();
    }
}
