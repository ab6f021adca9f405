package dev.ledgerhook.providers;

import static dev.ledgerhook.providers.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhooksProviderTest {

    // Known-answer vector from the standard-webhooks / svix libraries' tests.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TS = 1614265330L;
    static final String KAT_BODY = "{\"test\": 2432232314}";
    static final String KAT_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    static final String BODY = "{\"type\":\"invoice.paid\",\"data\":{\"id\":\"inv_1\",\"amount\":\"12.50\"}}";

    final StandardWebhooksProvider provider = new StandardWebhooksProvider();

    static WebhookRequest delivery(String body, String signature) {
        return request(body, "webhook-id", ID, "webhook-timestamp", Long.toString(TS), "webhook-signature", signature);
    }

    static String sign(String body) {
        byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
        return "v1," + Fixtures.hmacBase64(key, ID + "." + TS + "." + body);
    }

    @Test
    void knownAnswerVectorVerifies() {
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void secretWithoutPrefixIsAccepted() {
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE),
                List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Instant.ofEpochSecond(TS)));
    }

    @Test
    void validDeliveryParses() throws Exception {
        WebhookRequest r = delivery(BODY, sign(BODY));
        provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(TS));
        assertEquals(List.of(new ProviderEvent(ID, "invoice.paid", TS * 1000, BODY)), provider.parse(r));
    }

    @Test
    void typeIsRequired() {
        assertThrows(MalformedDeliveryException.class, () -> provider.parse(delivery(KAT_BODY, KAT_SIGNATURE)));
    }

    @Test
    void tamperedBodyFails() {
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery("{\"test\": 2432232315}", KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void tamperedIdFails() {
        WebhookRequest r = request(KAT_BODY, "webhook-id", "msg_other", "webhook-timestamp", Long.toString(TS),
                "webhook-signature", KAT_SIGNATURE);
        assertThrows(SignatureException.class, () -> provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void wrongSecretFails() {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE),
                List.of("whsec_" + Base64.getEncoder().encodeToString(new byte[24])), Instant.ofEpochSecond(TS)));
    }

    @Test
    void secondRotatedSecretPasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE),
                List.of("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void anyV1AmongSeveralSignaturesMayMatchAndOtherVersionsAreIgnored() {
        String header = "v1a,abcd v2,AAAA v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + KAT_SIGNATURE;
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, header), List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void missingHeadersFail() {
        for (String omitted : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
            String[] headers = {"webhook-id", ID, "webhook-timestamp", Long.toString(TS), "webhook-signature", KAT_SIGNATURE};
            for (int i = 0; i < headers.length; i += 2) {
                if (headers[i].equals(omitted)) {
                    headers[i] = "x-other";
                }
            }
            SignatureException e = assertThrows(SignatureException.class,
                    () -> provider.verify(request(KAT_BODY, headers), List.of(SECRET), Instant.ofEpochSecond(TS)));
            assertTrue(e.getMessage().contains(omitted), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "v1,", "v1,!!!!", "v2," + "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1 g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="})
    void garbageSignatureHeaderFailsWithSignatureException(String header) {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(KAT_BODY, header), List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1614265330", "1614265330.5", "99999999999999999999", "1e9"})
    void garbageTimestampFailsWithSignatureException(String timestamp) {
        WebhookRequest r = request(KAT_BODY, "webhook-id", ID, "webhook-timestamp", timestamp, "webhook-signature", KAT_SIGNATURE);
        assertThrows(SignatureException.class, () -> provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(TS)));
    }

    @Test
    void secretThatIsNotBase64FailsWithSignatureException() {
        assertThrows(SignatureException.class, () -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE),
                List.of("whsec_not base64!"), Instant.ofEpochSecond(TS)));
    }

    @Test
    void timestampOutsideFiveMinutesEitherWayFails() {
        for (long now : new long[] {TS + 301, TS - 301}) {
            SignatureException e = assertThrows(SignatureException.class,
                    () -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(now)));
            assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
        }
    }

    @Test
    void timestampJustInsideFiveMinutesPasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(TS + 300)));
        assertDoesNotThrow(() -> provider.verify(delivery(KAT_BODY, KAT_SIGNATURE), List.of(SECRET), Instant.ofEpochSecond(TS - 300)));
    }

    @Test
    void retryWindowIsThreeDays() {
        assertEquals(Duration.ofDays(3), provider.retryWindow());
    }
}
