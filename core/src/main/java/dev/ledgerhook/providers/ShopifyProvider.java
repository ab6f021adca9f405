package dev.ledgerhook.providers;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Shopify: {@code X-Shopify-Hmac-Sha256} = base64(HMAC-SHA256(body)) under the app's client secret.
 * The event id and topic travel in headers, not in the body.
 */
@ApplicationScoped
public class ShopifyProvider implements WebhookProvider {

    static final String SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256";
    static final String EVENT_ID_HEADER = "X-Shopify-Event-Id";
    static final String TOPIC_HEADER = "X-Shopify-Topic";
    static final String TRIGGERED_AT_HEADER = "X-Shopify-Triggered-At";
    /**
     * The signature does not cover a timestamp we can bound tightly, so a captured request could be
     * replayed for as long as its event key is retained. Shopify retries 8 times over 4 hours; a
     * delivery triggered more than 5 hours ago cannot be one of those retries.
     */
    static final Duration REPLAY_WINDOW = Duration.ofHours(5);
    /**
     * Triggered-At is not signed and becomes the event's version: one far in the future would let a
     * replayed body outrank every later genuine update of its entity (the worker skips older
     * versions). Only clock skew may put it ahead of us.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public ShopifyProvider() {}

    @Override
    public SourceType type() {
        return SourceType.SHOPIFY;
    }

    @Override
    public void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException {
        Deliveries.verifyBodyHmac(request, secrets, SIGNATURE_HEADER);
        Optional<Long> triggeredAt = Deliveries.signedHeader(request, TRIGGERED_AT_HEADER).flatMap(Deliveries::isoMillis);
        if (triggeredAt.isPresent() && triggeredAt.get() < now.minus(REPLAY_WINDOW).toEpochMilli()) {
            throw new SignatureException(TRIGGERED_AT_HEADER + " is outside the replay window");
        }
        if (triggeredAt.isPresent() && triggeredAt.get() > now.plus(CLOCK_SKEW).toEpochMilli()) {
            throw new SignatureException(TRIGGERED_AT_HEADER + " is in the future");
        }
    }

    @Override
    public List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException {
        String eventId = Deliveries.requiredHeader(request, EVENT_ID_HEADER);
        String topic = Deliveries.requiredHeader(request, TOPIC_HEADER);
        String body = Deliveries.utf8(request.body());
        JsonNode json = Deliveries.jsonObject(body);
        return List.of(Deliveries.event(eventId, topic, version(request, json), body));
    }

    /** Triggered-At when readable, else the resource's updated_at, else 0 (oldest). */
    private static long version(WebhookRequest request, JsonNode json) throws MalformedDeliveryException {
        Optional<Long> triggeredAt = request.header(TRIGGERED_AT_HEADER).flatMap(Deliveries::isoMillis);
        if (triggeredAt.isPresent()) {
            return triggeredAt.get();
        }
        JsonNode updatedAt = json.get("updated_at");
        if (updatedAt != null && updatedAt.isTextual()) {
            return Deliveries.isoMillis(updatedAt.asText()).orElse(0L);
        }
        return 0L;
    }

    /** Shopify retries a failed delivery 8 times over 4 hours. */
    @Override
    public Duration retryWindow() {
        return Duration.ofHours(4);
    }
}
