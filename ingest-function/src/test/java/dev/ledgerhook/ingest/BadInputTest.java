package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.SHOPIFY_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.teststack.TestStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The bad-input table: each case gets its status and a JSON error, and writes nothing. */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class BadInputTest {

    @Inject
    IngestFixture fixture;

    String tenant;

    @BeforeEach
    void newTenant() {
        tenant = fixture.newTenant();
    }

    @Test
    void emptyBodyWithValidSignatureIs400() {
        SignedDelivery.stripe(STRIPE_SECRET, "", Instant.now()).post(tenant, "stripe")
                .statusCode(400).body("error", equalTo("malformed_payload"));
        assertNothingWritten();
    }

    @Test
    void invalidJsonWithValidSignatureIs400() {
        SignedDelivery.stripe(STRIPE_SECRET, "{\"id\":\"evt_1\",", Instant.now()).post(tenant, "stripe").statusCode(400);
        SignedDelivery.stripe(STRIPE_SECRET, "[1,2]", Instant.now()).post(tenant, "stripe").statusCode(400);
        SignedDelivery.stripe(STRIPE_SECRET, "{\"object\":\"event\"}", Instant.now()).post(tenant, "stripe").statusCode(400);
        assertNothingWritten();
    }

    /**
     * Invalid UTF-8 is refused and writes nothing. The function answers 400 when the bytes reach it
     * intact (core's provider tests pin that); an API Gateway HTTP API event carries a JSON body as
     * text, so the bytes can arrive replaced and then fail the signature: 401. Both are refusals.
     */
    @Test
    void invalidUtf8IsRefusedAndWritesNothing() throws Exception {
        byte[] body = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SHOPIFY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = SignedDelivery.base64(mac.doFinal(body));
        SignedDelivery.shopify(SHOPIFY_SECRET, "ev-utf8", "orders/paid", "{}", Instant.now())
                .header("X-Shopify-Hmac-Sha256", signature).body(body)
                .post(tenant, "shopify").statusCode(anyOf(equalTo(400), equalTo(401)));
        assertNothingWritten();
    }

    @Test
    void wrongOrMissingContentTypeIs415() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_ct", "customer.created", 1_700_000_000);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).contentType("text/plain").post(tenant, "stripe")
                .statusCode(415).body("error", equalTo("unsupported_media_type"));
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).contentType("application/xml")
                .post(tenant, "stripe").statusCode(415);
        assertNothingWritten();
    }

    @Test
    void missingHeadersAre401ForTheSignatureAnd400ForTheEventKey() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_h", "customer.created", 1_700_000_000);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).withoutHeader("Stripe-Signature")
                .post(tenant, "stripe").statusCode(401);
        SignedDelivery.shopify(SHOPIFY_SECRET, "ev-h", "orders/paid", "{\"id\":1}", Instant.now())
                .withoutHeader("X-Shopify-Event-Id").post(tenant, "shopify").statusCode(400);
        assertNothingWritten();
    }

    @Test
    void oversizedBodyIs413() {
        char[] filler = new char[256 * 1024];
        Arrays.fill(filler, 'x');
        String body = "{\"id\":\"evt_big\",\"type\":\"x\",\"created\":1,\"pad\":\"" + new String(filler) + "\"}";
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe")
                .statusCode(413).body("error", equalTo("payload_too_large"));
        assertNothingWritten();
    }

    @Test
    void unknownTenantUnknownSourceAndDisabledTenantAre404() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_404", "customer.created", 1_700_000_000);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post("no-such-tenant", "stripe")
                .statusCode(404).body("error", equalTo("not_found"));
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "paypal").statusCode(404);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post("Bad#Tenant", "stripe").statusCode(404);
        fixture.disable(tenant);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(404);
        assertNothingWritten();
    }

    @Test
    void aSourceWhoseRetentionIsShorterThanTheRetryWindowIsRefusedWithoutWriting() {
        fixture.retention(tenant, SourceType.STRIPE, Duration.ofDays(1));
        String body = ProviderDeliveriesTest.stripeEvent("evt_ret", "customer.created", 1_700_000_000);
        SignedDelivery.stripe("x", body, Instant.now()).post(tenant, "stripe")
                .statusCode(503).body("error", equalTo("source_misconfigured"));
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertTrue(fixture.records(tenant).isEmpty(), "no event record may exist");
        assertTrue(fixture.drain(tenant).isEmpty(), "no message may be enqueued");
    }
}
