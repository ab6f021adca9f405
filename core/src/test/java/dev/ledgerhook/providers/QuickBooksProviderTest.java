package dev.ledgerhook.providers;

import static dev.ledgerhook.providers.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuickBooksProviderTest {

    static final String TOKEN = "ledgerhook-verifier-token";
    // Shape of Intuit's documented sample notification.
    static final String BODY = "{\"eventNotifications\":[{\"realmId\":\"1185883450\",\"dataChangeEvent\":{\"entities\":["
            + "{\"name\":\"Customer\",\"id\":\"1\",\"operation\":\"Create\",\"lastUpdated\":\"2015-10-05T14:42:19-0700\"},"
            + "{\"name\":\"Vendor\",\"id\":\"1\",\"operation\":\"Create\",\"lastUpdated\":\"2015-10-05T14:42:19-0700\"}]}}]}";
    // Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$TOKEN" -binary | base64
    static final String SIGNATURE = "gvWQAI9OnAdLUiLW4zjXrJVFieKle7Xa/Avk0EMFwi8=";
    // printf '1185883450\nCustomer\n1\nCreate\n2015-10-05T14:42:19-0700' | sha256sum
    static final String CUSTOMER_KEY = "d8d0796e8a896d78a130e0cad2a0bc1feb7128f4ea09a73c7a536b905a79ac2f";
    static final Instant NOW = Instant.parse("2015-10-05T21:43:00Z");

    final QuickBooksProvider provider = new QuickBooksProvider();

    static WebhookRequest delivery(String body, String signature) {
        return request(body, "intuit-signature", signature);
    }

    @Test
    void knownAnswerVerifiesAndParsesLegacyNotification() throws Exception {
        provider.verify(delivery(BODY, SIGNATURE), List.of(TOKEN), NOW);
        List<ProviderEvent> events = provider.parse(delivery(BODY, SIGNATURE));
        assertEquals(2, events.size());
        ProviderEvent customer = events.get(0);
        assertEquals(CUSTOMER_KEY, customer.eventKey());
        assertEquals("Customer.Create", customer.eventType());
        assertEquals(1444081339000L, customer.version()); // date -u -d '2015-10-05T14:42:19-0700' +%s%3N
        assertEquals("{\"realmId\":\"1185883450\",\"name\":\"Customer\",\"id\":\"1\",\"operation\":\"Create\","
                + "\"lastUpdated\":\"2015-10-05T14:42:19-0700\"}", customer.payload());
        assertEquals("Vendor.Create", events.get(1).eventType());
    }

    @Test
    void twoRealmsThreeEntitiesGiveThreeEventsWithDistinctKeys() throws Exception {
        String body = "{\"eventNotifications\":["
                + "{\"realmId\":\"111\",\"dataChangeEvent\":{\"entities\":["
                + "{\"name\":\"Customer\",\"id\":\"7\",\"operation\":\"Update\",\"lastUpdated\":\"2024-06-01T12:00:00.000Z\"},"
                + "{\"name\":\"Customer\",\"id\":\"9\",\"operation\":\"Merge\",\"lastUpdated\":\"2024-06-01T12:00:00.000Z\",\"deletedId\":\"8\"}]}},"
                + "{\"realmId\":\"222\",\"dataChangeEvent\":{\"entities\":["
                + "{\"name\":\"Customer\",\"id\":\"7\",\"operation\":\"Update\",\"lastUpdated\":\"2024-06-01T12:00:00.000Z\"}]}}]}";
        List<ProviderEvent> events = provider.parse(request(body));
        assertEquals(3, events.size());
        Set<String> keys = events.stream().map(ProviderEvent::eventKey).collect(Collectors.toSet());
        assertEquals(3, keys.size(), "same entity in another company must not look like a duplicate");
        assertEquals("Customer.Merge", events.get(1).eventType());
        assertEquals("{\"realmId\":\"111\",\"name\":\"Customer\",\"id\":\"9\",\"operation\":\"Merge\","
                + "\"lastUpdated\":\"2024-06-01T12:00:00.000Z\",\"deletedId\":\"8\"}", events.get(1).payload());
        assertEquals(Instant.parse("2024-06-01T12:00:00Z").toEpochMilli(), events.get(0).version());
    }

    @Test
    void sameEntityWithReorderedFieldsGivesTheSameKeyAndPayload() throws Exception {
        String reordered = "{\"eventNotifications\":[{\"dataChangeEvent\":{\"entities\":["
                + "{\"lastUpdated\":\"2015-10-05T14:42:19-0700\",\"operation\":\"Create\",\"id\":\"1\",\"name\":\"Customer\"}]},"
                + "\"realmId\":\"1185883450\"}]}";
        ProviderEvent original = provider.parse(request(BODY)).get(0);
        ProviderEvent again = provider.parse(request(reordered)).get(0);
        assertEquals(original, again);
    }

    @Test
    void differentLastUpdatedIsADifferentEvent() throws Exception {
        String later = BODY.replaceFirst("14:42:19", "14:50:00");
        assertNotEquals(provider.parse(request(BODY)).get(0).eventKey(), provider.parse(request(later)).get(0).eventKey());
    }

    @Test
    void cloudEventsArrayParsesOneEventPerObject() throws Exception {
        String body = "[{\"specversion\":\"1.0\",\"id\":\"88cd52a6-ee5e-4bd9-a5bb-1d4e1b5e3b2f\",\"source\":\"intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=\","
                + "\"type\":\"qbo.customer.created.v1\",\"datacontenttype\":\"application/json\",\"time\":\"2025-09-10T21:31:25.179Z\","
                + "\"intuitentityid\":\"1234\",\"intuitaccountid\":\"310687\",\"data\":{\"amount\":10.50}},"
                + " {\"specversion\":\"1.0\",\"id\":\"9b1c2b1e-0000-4000-8000-000000000002\",\"type\":\"qbo.invoice.updated.v1\","
                + "\"time\":\"2025-09-10T21:31:26-07:00\",\"intuitentityid\":\"55\",\"intuitaccountid\":\"310687\",\"data\":{}}]";
        List<ProviderEvent> events = provider.parse(request(body));
        assertEquals(2, events.size());
        assertEquals("88cd52a6-ee5e-4bd9-a5bb-1d4e1b5e3b2f", events.get(0).eventKey());
        assertEquals("qbo.customer.created.v1", events.get(0).eventType());
        assertEquals(Instant.parse("2025-09-10T21:31:25.179Z").toEpochMilli(), events.get(0).version());
        assertEquals(Instant.parse("2025-09-11T04:31:26Z").toEpochMilli(), events.get(1).version());
        // compact, field order kept, decimals kept exactly as sent
        assertEquals(body.substring(1, body.indexOf("}},") + 2), events.get(0).payload());
    }

    @Test
    void tamperedBodyFails() {
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY.replace("Vendor", "Vendoz"), SIGNATURE), List.of(TOKEN), NOW));
    }

    @Test
    void wrongTokenFails() {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, SIGNATURE), List.of("other-token"), NOW));
    }

    @Test
    void secondRotatedTokenPasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, SIGNATURE), List.of("old-token", TOKEN), NOW));
    }

    @Test
    void missingSignatureHeaderFails() {
        assertThrows(SignatureException.class, () -> provider.verify(request(BODY), List.of(TOKEN), NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%%%", "gvWQAI9OnAdLUiLW4zjXrJVFieKle7Xa/Avk0EMF", "v1," + SIGNATURE, "=="})
    void garbageSignatureHeaderFailsWithSignatureException(String header) {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, header), List.of(TOKEN), NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"eventNotifications\":[]}", "[]", "{\"eventNotifications\":{}}",
            "{\"eventNotifications\":[{\"realmId\":1,\"dataChangeEvent\":{\"entities\":[]}}]}",
            "{\"eventNotifications\":[{\"realmId\":\"1\"}]}",
            "{\"eventNotifications\":[{\"realmId\":\"1\",\"dataChangeEvent\":{\"entities\":[{\"name\":\"Customer\",\"id\":\"1\",\"operation\":\"Create\"}]}}]}",
            "{\"eventNotifications\":[{\"realmId\":\"1\",\"dataChangeEvent\":{\"entities\":[{\"name\":\"Customer\",\"id\":\"1\",\"operation\":\"Create\",\"lastUpdated\":\"soon\"}]}}]}",
            "[{\"id\":\"x\",\"type\":\"qbo.customer.created.v1\"}]", "[1]", "\"text\""})
    void wrongShapesAreMalformed(String body) {
        assertThrows(MalformedDeliveryException.class, () -> provider.parse(request(body)));
    }

    @Test
    void retryWindowIsAConservativeThreeDays() {
        assertEquals(Duration.ofDays(3), provider.retryWindow());
    }
}
