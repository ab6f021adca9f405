package dev.ledgerhook.providers;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Xero: {@code x-xero-signature} = base64(HMAC-SHA256(body)) under the app's webhook key. Events
 * carry no id, so the key is a hash of tenantId, eventCategory, resourceId, eventType and
 * eventDateUtc as sent: the same change retried gets the same key.
 *
 * <p>Before Xero enables a webhook it sends "intent to receive" deliveries with no events, some
 * correctly signed (must be answered 200) and some not (must be answered 401).
 */
@ApplicationScoped
public class XeroProvider implements WebhookProvider {

    static final String SIGNATURE_HEADER = "x-xero-signature";

    public XeroProvider() {}

    @Override
    public SourceType type() {
        return SourceType.XERO;
    }

    @Override
    public void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException {
        Deliveries.verifyBodyHmac(request, secrets, SIGNATURE_HEADER);
    }

    @Override
    public List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException {
        JsonNode body = Deliveries.jsonObject(Deliveries.utf8(request.body()));
        List<ProviderEvent> events = new ArrayList<>();
        for (JsonNode element : Deliveries.array(body, "events", "body")) {
            JsonNode event = Deliveries.object(element, "event");
            String tenantId = Deliveries.text(event, "tenantId", "event");
            String category = Deliveries.text(event, "eventCategory", "event");
            String resourceId = Deliveries.text(event, "resourceId", "event");
            String eventType = Deliveries.text(event, "eventType", "event");
            String date = Deliveries.text(event, "eventDateUtc", "event");
            events.add(Deliveries.event(
                    Crypto.sha256Hex(tenantId, category, resourceId, eventType, date),
                    category + "." + eventType,
                    Deliveries.requiredIsoMillis(date, "eventDateUtc"),
                    Deliveries.compact(event)));
        }
        return events;
    }

    /** Xero retries a failed delivery for up to 24 hours. */
    @Override
    public Duration retryWindow() {
        return Duration.ofHours(24);
    }

    @Override
    public boolean acceptsEmptyDelivery() {
        return true;
    }
}
