package dev.ledgerhook.providers;

import static dev.ledgerhook.providers.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShopifyProviderTest {

    static final String SECRET = "shpss_ledgerhookShopifyTestSecret";
    static final String BODY = "{\"id\":820982911946154508,\"email\":\"jon@example.com\",\"updated_at\":\"2024-06-01T08:00:00-04:00\"}";
    // Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
    static final String HMAC = "ssTYB3kXbeqJjouF5UwpGkJI8I9IAfcwcjfWc0ByQlE=";
    static final String TRIGGERED_AT = "2024-06-01T12:00:00.123Z";
    static final Instant NOW = Instant.parse("2024-06-01T12:00:05Z");

    final ShopifyProvider provider = new ShopifyProvider();

    static WebhookRequest delivery(String body, String hmac, String triggeredAt) {
        return request(body,
                "X-Shopify-Hmac-Sha256", hmac,
                "X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5",
                "X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
                "X-Shopify-Topic", "customers/update",
                "X-Shopify-Triggered-At", triggeredAt);
    }

    @Test
    void knownAnswerVerifiesAndParses() throws Exception {
        WebhookRequest r = delivery(BODY, HMAC, TRIGGERED_AT);
        provider.verify(r, List.of(SECRET), NOW);
        assertEquals(List.of(new ProviderEvent("98880550-7158-44d4-b7cd-2c97c8a091b5", "customers/update", 1717243200123L, BODY)),
                provider.parse(r));
    }

    @Test
    void triggeredAtWithOffsetGivesTheSameVersion() throws Exception {
        assertEquals(1717243200123L, provider.parse(delivery(BODY, HMAC, "2024-06-01T14:00:00.123+02:00")).get(0).version());
    }

    @Test
    void versionFallsBackToUpdatedAtThenZero() throws Exception {
        WebhookRequest noTrigger = request(BODY, "X-Shopify-Event-Id", "e1", "X-Shopify-Topic", "customers/update");
        assertEquals(1717243200000L, provider.parse(noTrigger).get(0).version());
        WebhookRequest neither = request("{\"id\":1}", "X-Shopify-Event-Id", "e1", "X-Shopify-Topic", "customers/update");
        assertEquals(0L, provider.parse(neither).get(0).version());
    }

    @Test
    void tamperedBodyFails() {
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY.replace("jon@", "eve@"), HMAC, TRIGGERED_AT), List.of(SECRET), NOW));
    }

    @Test
    void wrongSecretFails() {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, HMAC, TRIGGERED_AT), List.of("shpss_other"), NOW));
    }

    @Test
    void secondRotatedSecretPasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HMAC, TRIGGERED_AT), List.of("shpss_old", SECRET), NOW));
    }

    @Test
    void missingSignatureHeaderFails() {
        WebhookRequest r = request(BODY, "X-Shopify-Event-Id", "e1", "X-Shopify-Topic", "customers/update");
        assertThrows(SignatureException.class, () -> provider.verify(r, List.of(SECRET), NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not base64!!", "AAAA", "ssTYB3kXbeqJjouF5UwpGkJI8I9IAfcwcjfWc0By", "sha256=" + HMAC, "\u0000"})
    void garbageSignatureHeaderFailsWithSignatureException(String header) {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, header, TRIGGERED_AT), List.of(SECRET), NOW));
    }

    @Test
    void deliveryTriggeredBeyondTheReplayWindowFails() {
        Instant later = Instant.parse(TRIGGERED_AT).plus(Duration.ofHours(5)).plusSeconds(1);
        SignatureException e = assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY, HMAC, TRIGGERED_AT), List.of(SECRET), later));
        assertTrue(e.getMessage().contains("replay window"), e.getMessage());
    }

    @Test
    void lastRetryJustInsideTheReplayWindowPasses() {
        Instant later = Instant.parse(TRIGGERED_AT).plus(Duration.ofHours(5)).minusSeconds(1);
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HMAC, TRIGGERED_AT), List.of(SECRET), later));
    }

    /** A future Triggered-At would become a version that outranks every later genuine update. */
    @Test
    void deliveryTriggeredInTheFutureFailsBeyondClockSkew() {
        Instant triggered = Instant.parse(TRIGGERED_AT);
        SignatureException e = assertThrows(SignatureException.class, () -> provider.verify(
                delivery(BODY, HMAC, TRIGGERED_AT), List.of(SECRET), triggered.minus(Duration.ofMinutes(5)).minusSeconds(1)));
        assertTrue(e.getMessage().contains("in the future"), e.getMessage());
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HMAC, TRIGGERED_AT), List.of(SECRET),
                triggered.minus(Duration.ofMinutes(5)).plusSeconds(1)));
    }

    @Test
    void unreadableTriggeredAtIsNotAReplayReason() {
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HMAC, "yesterday"), List.of(SECRET), NOW));
    }

    @Test
    void eventIdAndTopicHeadersAreRequired() {
        assertThrows(MalformedDeliveryException.class,
                () -> provider.parse(request(BODY, "X-Shopify-Topic", "customers/update")));
        assertThrows(MalformedDeliveryException.class,
                () -> provider.parse(request(BODY, "X-Shopify-Event-Id", "e1")));
    }

    @Test
    void retryWindowIsFourHours() {
        assertEquals(Duration.ofHours(4), provider.retryWindow());
    }
}
