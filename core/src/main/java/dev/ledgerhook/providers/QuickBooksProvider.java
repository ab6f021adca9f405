package dev.ledgerhook.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * QuickBooks Online: {@code intuit-signature} = base64(HMAC-SHA256(body)) under the app's verifier
 * token. Intuit sends no timestamp, so there is no replay bound beyond event-key retention.
 *
 * <p>Two payload shapes: the legacy {"eventNotifications": [...]} batch, whose entities carry no
 * event id (the key is a hash of realmId, name, id, operation and lastUpdated, all as sent, so a
 * retry of the same change maps to the same key however its JSON fields are ordered), and the
 * CloudEvents array, whose objects carry an {@code id}.
 */
@ApplicationScoped
public class QuickBooksProvider implements WebhookProvider {

    static final String SIGNATURE_HEADER = "intuit-signature";

    public QuickBooksProvider() {}

    @Override
    public SourceType type() {
        return SourceType.QUICKBOOKS;
    }

    @Override
    public void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException {
        Deliveries.verifyBodyHmac(request, secrets, SIGNATURE_HEADER);
    }

    @Override
    public List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException {
        JsonNode json = Deliveries.json(Deliveries.utf8(request.body()));
        List<ProviderEvent> events = json.isArray() ? cloudEvents(json) : legacy(Deliveries.object(json, "body"));
        if (events.isEmpty()) {
            throw new MalformedDeliveryException("delivery contains no events");
        }
        return events;
    }

    private static List<ProviderEvent> cloudEvents(JsonNode array) throws MalformedDeliveryException {
        List<ProviderEvent> events = new ArrayList<>();
        for (JsonNode element : array) {
            JsonNode event = Deliveries.object(element, "CloudEvent");
            events.add(Deliveries.event(
                    Deliveries.text(event, "id", "CloudEvent"),
                    Deliveries.text(event, "type", "CloudEvent"),
                    Deliveries.requiredIsoMillis(Deliveries.text(event, "time", "CloudEvent"), "time"),
                    Deliveries.compact(event)));
        }
        return events;
    }

    private static List<ProviderEvent> legacy(JsonNode body) throws MalformedDeliveryException {
        List<ProviderEvent> events = new ArrayList<>();
        for (JsonNode element : Deliveries.array(body, "eventNotifications", "body")) {
            JsonNode notification = Deliveries.object(element, "eventNotification");
            String realmId = Deliveries.text(notification, "realmId", "eventNotification");
            JsonNode change = Deliveries.object(
                    Deliveries.field(notification, "dataChangeEvent", "eventNotification"), "dataChangeEvent");
            for (JsonNode item : Deliveries.array(change, "entities", "dataChangeEvent")) {
                events.add(entityEvent(realmId, Deliveries.object(item, "entity")));
            }
        }
        return events;
    }

    private static ProviderEvent entityEvent(String realmId, JsonNode entity) throws MalformedDeliveryException {
        String name = Deliveries.text(entity, "name", "entity");
        String id = Deliveries.text(entity, "id", "entity");
        String operation = Deliveries.text(entity, "operation", "entity");
        String lastUpdated = Deliveries.text(entity, "lastUpdated", "entity");
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("realmId", realmId).put("name", name).put("id", id)
                .put("operation", operation).put("lastUpdated", lastUpdated);
        JsonNode deletedId = entity.get("deletedId");
        if (deletedId != null && !deletedId.isNull()) {
            payload.set("deletedId", deletedId); // Merge: the id that was merged away
        }
        return Deliveries.event(
                Crypto.sha256Hex(realmId, name, id, operation, lastUpdated),
                name + "." + operation,
                Deliveries.requiredIsoMillis(lastUpdated, "lastUpdated"),
                Deliveries.compact(payload));
    }

    /**
     * Intuit documents retries at increasing intervals (from immediately up to every few hours) but
     * no firm end; three days is a conservative bound, well beyond the retry schedule we can see.
     */
    @Override
    public Duration retryWindow() {
        return Duration.ofDays(3);
    }
}
