package dev.ledgerhook.providers;

import static dev.ledgerhook.providers.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StripeProviderTest {

    static final String SECRET = "whsec_ledgerhookStripeTestSecret0123";
    static final long T = 1717243200L;
    static final String BODY = "{\"id\":\"evt_1PLedgerhookTest\",\"object\":\"event\",\"type\":\"customer.created\","
            + "\"created\":1717243195,\"data\":{\"object\":{\"id\":\"cus_Q1\"}}}";
    // No published Stripe vector with secret and body was found. Computed independently with:
    //   printf '%s' "1717243200.$BODY" | openssl dgst -sha256 -hmac 'whsec_ledgerhookStripeTestSecret0123'
    static final String V1 = "f9845c623a1089f04a823e24989ab35b9841054f3ea28ed9a0a954ce6bccdaf5";
    static final String HEADER = "t=" + T + ",v1=" + V1;

    final StripeProvider provider = new StripeProvider();

    static WebhookRequest delivery(String body, String header) {
        return request(body, "Stripe-Signature", header);
    }

    @Test
    void knownAnswerVerifiesAndParses() throws Exception {
        provider.verify(delivery(BODY, HEADER), List.of(SECRET), Instant.ofEpochSecond(T));
        List<ProviderEvent> events = provider.parse(delivery(BODY, HEADER));
        assertEquals(List.of(new ProviderEvent("evt_1PLedgerhookTest", "customer.created", 1717243195000L, BODY)), events);
    }

    @Test
    void headerNameIsCaseInsensitiveAndTestModeV0IsIgnored() {
        WebhookRequest r = request(BODY, "stripe-signature", HEADER + ",v0=6ffbb59b2300aae63f272406069a9788598b792a");
        assertDoesNotThrow(() -> provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(T)));
    }

    /**
     * Found by HostileRequestsTest: a garbage copy of the header sent next to the genuine one was
     * skipped and the delivery verified. A repeated header is one comma-joined field; an item that
     * is not key=value means it is not Stripe's.
     */
    @Test
    void anItemThatIsNotKeyValueFails() {
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY, "garbage," + HEADER), List.of(SECRET), Instant.ofEpochSecond(T)));
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY, HEADER + ", x"), List.of(SECRET), Instant.ofEpochSecond(T)));
    }

    @Test
    void tamperedBodyFails() {
        String tampered = BODY.replace("cus_Q1", "cus_Q2");
        SignatureException e = assertThrows(SignatureException.class,
                () -> provider.verify(delivery(tampered, HEADER), List.of(SECRET), Instant.ofEpochSecond(T)));
        assertTrue(e.getMessage().contains("no matching"));
    }

    @Test
    void wrongSecretFailsWithoutLeakingSecrets() {
        SignatureException e = assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY, HEADER), List.of("whsec_other"), Instant.ofEpochSecond(T)));
        assertFalse(e.getMessage().contains("whsec_"));
        assertFalse(e.getMessage().contains(V1));
    }

    @Test
    void secondRotatedSecretPasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HEADER), List.of("whsec_old", SECRET), Instant.ofEpochSecond(T)));
    }

    @Test
    void anyOfSeveralV1SignaturesMayMatch() {
        String header = "t=" + T + ",v1=" + "0".repeat(64) + ",v1=" + V1;
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, header), List.of(SECRET), Instant.ofEpochSecond(T)));
    }

    @Test
    void missingHeaderFails() {
        SignatureException e = assertThrows(SignatureException.class,
                () -> provider.verify(request(BODY), List.of(SECRET), Instant.ofEpochSecond(T)));
        assertTrue(e.getMessage().contains("missing"));
    }

    @Test
    void repeatedHeaderFails() {
        WebhookRequest r = request(BODY, "Stripe-Signature", HEADER, "Stripe-Signature", HEADER);
        assertThrows(SignatureException.class, () -> provider.verify(r, List.of(SECRET), Instant.ofEpochSecond(T)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", ",,,", "=", "t=", "t=,v1=", "v1=" + V1, "t=1717243200",
            "t=abc,v1=" + V1, "t=-1717243200,v1=" + V1, "t=+1717243200,v1=" + V1,
            "t=99999999999999999999999,v1=" + V1, "t=1717243200,v1=zz", "t=1717243200,v1=",
            "t=1717243200,t=1717243200,v1=" + V1, "t=1717243200,v1=\u00e9\u0000"})
    void garbageHeaderFailsWithSignatureException(String header) {
        assertThrows(SignatureException.class,
                () -> provider.verify(delivery(BODY, header), List.of(SECRET), Instant.ofEpochSecond(T)));
    }

    @Test
    void staleOrFutureTimestampOutsideToleranceFails() {
        for (long now : new long[] {T + 301, T - 301}) {
            SignatureException e = assertThrows(SignatureException.class,
                    () -> provider.verify(delivery(BODY, HEADER), List.of(SECRET), Instant.ofEpochSecond(now)));
            assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
        }
    }

    @Test
    void timestampJustInsideTolerancePasses() {
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HEADER), List.of(SECRET), Instant.ofEpochSecond(T + 300)));
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HEADER), List.of(SECRET), Instant.ofEpochSecond(T - 300)));
    }

    @Test
    void emptyOrBlankSecretsNeverVerify() {
        // an empty HMAC key is public knowledge: a forger could sign with it
        String forged = "t=" + T + ",v1=" + Fixtures.hmacHex("x", T + "." + BODY);
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, forged), List.of("", " "), Instant.ofEpochSecond(T)));
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, HEADER), List.of(), Instant.ofEpochSecond(T)));
        assertThrows(SignatureException.class, () -> provider.verify(delivery(BODY, HEADER), null, Instant.ofEpochSecond(T)));
    }

    @Test
    void secretPastedWithTrailingNewlineStillVerifies() {
        assertDoesNotThrow(() -> provider.verify(delivery(BODY, HEADER), List.of(SECRET + "\n"), Instant.ofEpochSecond(T)));
    }

    @Test
    void createdMustBeAnInteger() {
        String body = "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":\"1717243195\"}";
        assertThrows(MalformedDeliveryException.class, () -> provider.parse(delivery(body, HEADER)));
    }

    @Test
    void retryWindowIsThreeDays() {
        assertEquals(Duration.ofDays(3), provider.retryWindow());
        assertFalse(provider.acceptsEmptyDelivery());
    }
}
