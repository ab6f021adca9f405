package dev.ledgerhook.providers;

import static dev.ledgerhook.providers.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FinchProviderTest {

    // Known-answer vector from Finch's Go SDK: Finch-API/finch-api-go, webhook_test.go (TestVerifySignature).
    static final String SECRET = "5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH";
    static final String ID = "msg_2Lh9KRb0pzN4LePd3XiA4v12Axj";
    static final long TS = 1676312382L;
    static final String KAT_BODY = "{\"company_id\":\"720be419-0293-4d32-a707-32179b0827ab\"}";
    static final String KAT_SIGNATURE = "v1,m7y0TV2C+hlHxU42wCieApTSTaA8/047OAplBqxIV/s=";

    static final String BODY = "{\"event_id\":\"e1\",\"company_id\":\"720be419-0293-4d32-a707-32179b0827ab\","
            + "\"account_id\":\"a1\",\"event_type\":\"directory.updated\",\"data\":{\"individual_id\":\"i1\"}}";

    final FinchProvider provider = new FinchProvider();

    static WebhookRequest delivery(String body, String signature) {
        return request(body, "Finch-Event-Id", ID, "Finch-Timestamp", Long.toString(TS), "Finch-Signature", signature);
    }

    @Test
    void knownAnswerVectorVerifies() {
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void lowerCaseHeaderNamesWork() {
        WebhookRequest r = request(KAT_BODY, "finch-event-id", ID, "finch-timestamp", Long.toString(TS), "finch-signature", KAT_SIGNATURE);
        assertDoesNotThrow(() -> provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void validDeliveryParses() throws Exception {
        String signature = "v1," + Fixtures.hmacBase64(Base64.getDecoder().decode(SECRET), ID + "." + TS + "." + BODY);
        WebhookRequest r = delivery(BODY, signature);
        provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(TS));
        assertEquals(List.of(new ProviderEvent(ID, "directory.updated", TS * 1000, BODY)), provider.parse(r));
    }

    @Test
    void eventTypeIsRequired() {
        assertThrows(MalformedDeliveryException.class, () -> provider.parse(delivery(KAT_BODY, KAT_SIGNATURE)));
    }

    @Test
    void tamperedBodyFails() {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(KAT_BODY.replace("720b", "720c"), KAT_SIGNATURE),
                List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void wrongSecretFails() {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE),
                List.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), Instant.ofEpochSecond(TS)));
    }

    @Test
    void secondRotatedSecretPasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE),
                List.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void standardWebhooksHeaderNamesAreNotFinchs() {
        WebhookRequest r = request(KAT_BODY, "webhook-id", ID, "webhook-timestamp", Long.toString(TS), "webhook-signature", KAT_SIGNATURE);
        assertThrows(SignatureException.class, () -> provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void missingSignatureHeaderFails() {
        WebhookRequest r = request(KAT_BODY, "Finch-Event-Id", ID, "Finch-Timestamp", Long.toString(TS));
        assertThrows(SignatureException.class, () -> provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1,", "v1,@@@", "m7y0TV2C+hlHxU42wCieApTSTaA8/047OAplBqxIV/s=", "v0,m7y0TV2C+hlHxU42wCieApTSTaA8/047OAplBqxIV/s="})
    void garbageSignatureHeaderFailsWithSignatureException(String header) {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(KAT_BODY, header), List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void staleTimestampFailsAndJustInsidePasses() {
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(TS + 301)));
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(TS + 300)));
    }

    @Test
    void retryWindowIsThreeDays() {
        assertEquals(Duration.ofDays(3), provider.retryWindow());
    }
}
