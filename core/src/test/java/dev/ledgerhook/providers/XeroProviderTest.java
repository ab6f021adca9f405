package dev.ledgerhook.providers;

import static dev.ledgerhook.providers.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XeroProviderTest {

    static final String KEY = "ledgerhookXeroWebhookKey";
    static final String EVENT = "{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Contacts/717f2bfc-c6d4-41fd-b238-3f2f0c0cf777\","
            + "\"resourceId\":\"717f2bfc-c6d4-41fd-b238-3f2f0c0cf777\",\"eventDateUtc\":\"2017-06-21T01:15:39.902\","
            + "\"eventType\":\"UPDATE\",\"eventCategory\":\"CONTACT\",\"tenantId\":\"c2cc9b6e-9458-4c7d-93cc-f02b81b0594f\","
            + "\"tenantType\":\"ORGANISATION\"}";
    // Shape of Xero's documented sample payload.
    static final String BODY = "{\"events\":[" + EVENT + "],\"lastEventSequence\":1,\"firstEventSequence\":1,\"entropy\":\"S0m3r4Nd0mt3xt\"}";
    // Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$KEY" -binary | base64
    static final String SIGNATURE = "6R2M0/R4c2faTfhMoa4C/lsPlFT+Dp6+ZWIG9MiFK30=";
    // printf '<tenantId>\nCONTACT\n<resourceId>\nUPDATE\n2017-06-21T01:15:39.902' | sha256sum
    static final String EVENT_KEY = "b3f2072e09cdf3c55f29cc4406162f6bad63195d48ad6e52da469bdf799dd979";
    static final Instant NOW = Instant.parse("2017-06-21T01:15:45Z");

    final XeroProvider provider = new XeroProvider();

    static WebhookRequest delivery(String body, String signature) {
        return request(body, "x-xero-signature", signature);
    }

    @Test
    void knownAnswerVerifiesAndParses() throws Exception {
        provider.verify(delivery(BODY, SIGNATURE), List.of(KEY), NOW);
        assertEquals(List.of(new ProviderEvent(EVENT_KEY, "CONTACT.UPDATE", 1498007739902L, EVENT)),
                provider.parse(delivery(BODY, SIGNATURE)));
    }

    @Test
    void batchOfTwoGivesTwoEvents() throws Exception {
        String second = EVENT.replace("UPDATE", "CREATE").replace("CONTACT", "INVOICE").replace("39.902", "40.100");
        String body = "{\"events\":[" + EVENT + "," + second + "],\"firstEventSequence\":1,\"lastEventSequence\":2,\"entropy\":\"x\"}";
        List<ProviderEvent> events = provider.parse(request(body));
        assertEquals(2, events.size());
        assertEquals("INVOICE.CREATE", events.get(1).eventType());
        assertEquals(1498007740100L, events.get(1).version());
        assertNotEquals(events.get(0).eventKey(), events.get(1).eventKey());
        assertEquals(second, events.get(1).payload());
    }

    @Test
    void signedIntentToReceiveIsAcceptedWithNoEvents() throws Exception {
        String body = "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"YSXCMKAQBJOEMGUZEPFZ\"}";
        provider.verify(delivery(body, Fixtures.hmacBase64(KEY, body)), List.of(KEY), NOW);
        assertEquals(List.of(), provider.parse(request(body)));
        assertTrue(provider.acceptsEmptyDelivery());
    }

    @Test
    void unsignedIntentToReceiveIsRejected() {
        String body = "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"YSXCMKAQBJOEMGUZEPFZ\"}";
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(body, Fixtures.hmacBase64("not-the-key", body)), List.of(KEY), NOW));
    }

    @Test
    void tamperedBodyFails() {
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY.replace("UPDATE", "DELETE"), SIGNATURE), List.of(KEY), NOW));
    }

    @Test
    void wrongKeyFails() {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, SIGNATURE), List.of("other"), NOW));
    }

    @Test
    void secondRotatedKeyPasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, SIGNATURE), List.of("old", KEY), NOW));
    }

    @Test
    void missingSignatureHeaderFails() {
        assertThrows(SignatureException.class, () -> provider.verify(request(BODY), List.of(KEY), NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!", "6R2M0/R4c2faTfhMoa4C/lsPlFT+Dp6+ZWIG9MiFK3", "=" + SIGNATURE})
    void garbageSignatureHeaderFailsWithSignatureException(String header) {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, header), List.of(KEY), NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "{\"events\":{}}", "{\"events\":[1]}",
            "{\"events\":[{\"resourceId\":\"r\",\"eventType\":\"UPDATE\",\"eventCategory\":\"CONTACT\",\"tenantId\":\"t\"}]}",
            "{\"events\":[{\"resourceId\":\"r\",\"eventDateUtc\":\"2017-13-21T01:15:39\",\"eventType\":\"UPDATE\",\"eventCategory\":\"CONTACT\",\"tenantId\":\"t\"}]}"})
    void wrongShapesAreMalformed(String body) {
        assertThrows(MalformedDeliveryException.class, () -> provider.parse(request(body)));
    }

    @Test
    void retryWindowIs24Hours() {
        assertEquals(Duration.ofHours(24), provider.retryWindow());
    }
}
