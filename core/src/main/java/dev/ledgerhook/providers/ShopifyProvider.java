package dev.ledgerhook.providers;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Shopify: {@code X-Shopify-Hmac-Sha256} = base64(HMAC-SHA256(body)) under the app's client secret.
 * The event id and topic travel in headers, not in the body, and no header is signed.
 *
 * <p>Only what is signed decides what is applied (invariant 12). The event's version is the
 * resource's own {@code updated_at}, else its {@code created_at} (a refund has no updated_at), as
 * Shopify writes them in the body: ISO-8601 with an offset. {@code X-Shopify-Triggered-At} is not
 * read at all: whoever holds a captured delivery can resend its body under any Triggered-At and any
 * Event-Id, so a Triggered-At can neither rank an event nor bound a replay.
 *
 * <p>The replay window that the signed body can soundly give:
 * <ul>
 * <li>No lower bound. updated_at is when the resource last changed, not when the delivery was
 * sent: Shopify retries the same body 8 times over 4 hours, and a topic may fire for a resource
 * whose updated_at is older still. Refusing old bodies would drop genuine retries, and would gain
 * nothing: a captured body replayed under a new event id (indistinguishable from a new event) has
 * its own, old version, so the worker never applies it over newer state of the entity (invariant
 * 9), and what it creates is keyed by the Shopify resource id (one effect, invariant 3). At most
 * it re-applies the state it carries when nothing newer was applied.</li>
 * <li>An upper bound: a signed timestamp more than {@link #CLOCK_SKEW} ahead of our clock is
 * refused. As a version it would outrank every genuine update of the entity until then, and a
 * genuine Shopify stamp cannot be later than the delivery.</li>
 * </ul>
 */
@ApplicationScoped
public class ShopifyProvider implements WebhookProvider {

    static final String SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256";
    static final String EVENT_ID_HEADER = "X-Shopify-Event-Id";
    static final String TOPIC_HEADER = "X-Shopify-Topic";
    /** The body fields that give the event's version, in order of preference. */
    static final List<String> VERSION_FIELDS = List.of("updated_at", "created_at");
    /** How far ahead of our clock a signed updated_at (or created_at) may be: clock skew only. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public ShopifyProvider() {}

    @Override
    public SourceType type() {
        return SourceType.SHOPIFY;
    }

    @Override
    public void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException {
        Deliveries.verifyBodyHmac(request, secrets, SIGNATURE_HEADER);
        Optional<Long> changedAt = signedChangedAt(request);
        if (changedAt.isPresent() && changedAt.get() > now.plus(CLOCK_SKEW).toEpochMilli()) {
            throw new SignatureException("the body's updated_at is in the future");
        }
    }

    @Override
    public List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException {
        String eventId = Deliveries.requiredHeader(request, EVENT_ID_HEADER);
        String topic = Deliveries.requiredHeader(request, TOPIC_HEADER);
        String body = Deliveries.utf8(request.body());
        JsonNode json = Deliveries.jsonObject(body);
        return List.of(Deliveries.event(eventId, topic, changedAt(json).orElse(0L), body));
    }

    /** The signed body's version time, read after its HMAC verified; empty when the body is unreadable (parse refuses it). */
    static Optional<Long> signedChangedAt(WebhookRequest request) {
        try {
            return changedAt(Deliveries.jsonObject(Deliveries.utf8(request.body())));
        } catch (MalformedDeliveryException unreadable) {
            return Optional.empty();
        }
    }

    /** The resource's updated_at, else its created_at, in epoch millis; empty when neither reads (version 0, the oldest). */
    private static Optional<Long> changedAt(JsonNode body) {
        for (String field : VERSION_FIELDS) {
            JsonNode value = body.get(field);
            Optional<Long> millis = value != null && value.isTextual() ? Deliveries.isoMillis(value.asText()) : Optional.empty();
            if (millis.isPresent()) {
                return millis;
            }
        }
        return Optional.empty();
    }

    /** Shopify retries a failed delivery 8 times over 4 hours. */
    @Override
    public Duration retryWindow() {
        return Duration.ofHours(4);
    }
}
