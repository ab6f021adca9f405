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
        assertEquals(List.of(new ProviderEvent("98880550-7158-44d4-b7cd-2c97c8a091b5", "customers/update", 1717243200000L, BODY)),
                provider.parse(r), "the version is the body's updated_at, 2024-06-01T08:00:00-04:00");
    }

    /**
     * A customers/update body as Shopify documents it, captured at its first delivery and sent again
     * later under a new event id and a fresh Triggered-At, after a newer update of the customer: the
     * replay keeps the captured body's version, so it ranks below the newer update and the worker
     * leaves the newer state.
     */
    @Test
    void aCapturedBodyReplayedUnderANewEventIdKeepsItsOwnOlderVersion() throws Exception {
        String captured = customersUpdate("bob@biller.com", "2024-06-01T07:00:00-05:00");
        String newer = customersUpdate("bob@example.net", "2024-06-01T07:30:00-05:00");
        WebhookRequest genuineNewer = signedDelivery(newer, "f0a1c2d3-0000-4000-8000-000000000002", "2024-06-01T12:30:00.000Z");
        WebhookRequest replay = signedDelivery(captured, "f0a1c2d3-0000-4000-8000-00000000beef", "2024-06-01T13:00:00.000Z");

        provider.verify(replay, List.of(SECRET), Instant.parse("2024-06-01T13:00:01Z"));
        long replayed = provider.parse(replay).get(0).version();
        long newest = provider.parse(genuineNewer).get(0).version();

        assertEquals(Instant.parse("2024-06-01T12:00:00Z").toEpochMilli(), replayed, "the captured body's own updated_at");
        assertTrue(replayed < newest, "the replay ranks below the newer genuine update");
    }

    @Test
    void versionIsUpdatedAtElseCreatedAtElseZero() throws Exception {
        WebhookRequest noTrigger = request(BODY, "X-Shopify-Event-Id", "e1", "X-Shopify-Topic", "customers/update");
        assertEquals(1717243200000L, provider.parse(noTrigger).get(0).version());
        String refund = """
                {"id":890088186047892319,"order_id":820982911946154508,"created_at":"2024-06-01T08:00:00-04:00",\
                "note":"Things were damaged","user_id":548380009,"processed_at":"2024-06-01T08:00:00-04:00","restock":false,\
                "admin_graphql_api_id":"gid://shopify/Refund/890088186047892319","refund_line_items":[],"transactions":[]}""";
        assertEquals(1717243200000L, provider.parse(request(refund, "X-Shopify-Event-Id", "e2",
                "X-Shopify-Topic", "refunds/create")).get(0).version(), "a refund has only created_at");
        WebhookRequest neither = request("{\"id\":1}", "X-Shopify-Event-Id", "e1", "X-Shopify-Topic", "customers/update",
                "X-Shopify-Triggered-At", TRIGGERED_AT);
        assertEquals(0L, provider.parse(neither).get(0).version(), "nothing signed to rank it by: the oldest");
    }

    /** Triggered-At is not signed: any value, or none, neither refuses a genuine body nor admits a future one. */
    @Test
    void triggeredAtNeitherRefusesNorAdmits() {
        for (String triggeredAt : List.of("1970-01-01T00:00:00Z", "2024-06-01T06:00:00Z", "9999-12-31T23:59:59Z", "yesterday")) {
            assertDoesNotThrow(() -> provider.verify(delivery(BODY, HMAC, triggeredAt), List.of(SECRET), NOW), triggeredAt);
        }
        String ahead = customersUpdate("bob@biller.com", "2024-06-01T08:00:00-05:00"); // 13:00Z, an hour ahead of NOW
        SignatureException e = assertThrows(SignatureException.class,
                () -> provider.verify(signedDelivery(ahead, "e-ahead", TRIGGERED_AT), List.of(SECRET), NOW));
        assertTrue(e.getMessage().contains("in the future"), e.getMessage());
    }

    /** Shopify retries the same body for 4 hours, and updated_at may be older than the event: an old body is not a replay sign. */
    @Test
    void anOldBodyIsAccepted() {
        for (Duration age : List.of(Duration.ofHours(4).plusMinutes(1), Duration.ofDays(3))) {
            assertDoesNotThrow(() -> provider.verify(delivery(BODY, HMAC, TRIGGERED_AT), List.of(SECRET), NOW.plus(age)), age.toString());
        }
    }

    /** A future updated_at would become a version that outranks every later genuine update. */
    @Test
    void aBodyUpdatedInTheFutureFailsBeyondClockSkew() {
        Instant updated = Instant.parse("2024-06-01T12:00:00Z"); // BODY's updated_at
        SignatureException e = assertThrows(SignatureException.class, () -> provider.verify(
                delivery(BODY, HMAC, TRIGGERED_AT), List.of(SECRET), updated.minus(Duration.ofMinutes(5)).minusSeconds(1)));
        assertTrue(e.getMessage().contains("in the future"), e.getMessage());
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HMAC, TRIGGERED_AT), List.of(SECRET),
                updated.minus(Duration.ofMinutes(5)).plusSeconds(1)));
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

    /** Shopify's documented customers/update payload, with this email and timestamp. */
    static String customersUpdate(String email, String updatedAt) {
        return """
                {"id":706405506930370084,"email":"%s","created_at":"2021-12-31T19:00:00-05:00","updated_at":"%s",\
                "first_name":"Bob","last_name":"Biller","orders_count":0,"state":"disabled","total_spent":"0.00",\
                "last_order_id":null,"note":"This customer loves ice pops","verified_email":true,"multipass_identifier":null,\
                "tax_exempt":false,"tags":"","last_order_name":null,"currency":"USD","phone":null,"addresses":[],\
                "tax_exemptions":[],"email_marketing_consent":null,"sms_marketing_consent":null,\
                "admin_graphql_api_id":"gid://shopify/Customer/706405506930370084"}""".formatted(email, updatedAt);
    }

    static WebhookRequest signedDelivery(String body, String eventId, String triggeredAt) {
        return request(body,
                "X-Shopify-Hmac-Sha256", Fixtures.hmacBase64(SECRET, body),
                "X-Shopify-Event-Id", eventId,
                "X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
                "X-Shopify-Topic", "customers/update",
                "X-Shopify-Triggered-At", triggeredAt);
    }
}
