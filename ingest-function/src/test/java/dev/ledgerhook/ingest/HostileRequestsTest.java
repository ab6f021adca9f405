package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.FINCH_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.QUICKBOOKS_TOKEN;
import static dev.ledgerhook.ingest.IngestFixture.SHOPIFY_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.STANDARD_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.XERO_KEY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.teststack.TestStackResource;
import dev.ledgerhook.tenants.SourceConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Requests an attacker (or a confused proxy) can send through the HTTP surface: replays outside
 * the tolerance window, another tenant's signature, path and header tricks, wrong methods and
 * content types. Each is answered with its status and writes nothing: no claim in DynamoDB, no
 * message on the queue (invariant 1). What BadInputTest and TenantIsolationAndSendFailureTest
 * already cover (stale Stripe, Standard and Finch timestamps, a Stripe secret of another tenant,
 * text/plain and XML bodies) is not repeated here.
 */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class HostileRequestsTest {

    static final String STRIPE_BODY = ProviderDeliveriesTest.stripeEvent("evt_hostile", "customer.created", 1_700_000_000);
    static final String SHOPIFY_BODY = "{\"id\":820982911946154508,\"email\":\"jon@example.com\"}";
    static final String QUICKBOOKS_BODY = "[{\"specversion\":\"1.0\",\"id\":\"ce-hostile\",\"source\":\"intuit.abc\","
            + "\"type\":\"qbo.customer.created.v1\",\"time\":\"2026-11-20T10:00:00.000Z\",\"data\":{}}]";
    static final String XERO_BODY = "{\"events\":[{\"resourceId\":\"717f2bfc\",\"eventDateUtc\":\"2026-11-20T01:15:39.902\","
            + "\"eventType\":\"UPDATE\",\"eventCategory\":\"CONTACT\",\"tenantId\":\"c2cc9b6e\"}],\"entropy\":\"abc\"}";
    static final String STANDARD_BODY = "{\"type\":\"invoice.paid\",\"data\":{\"id\":\"inv_1\"}}";
    static final String FINCH_BODY = "{\"company_id\":\"c-1\",\"event_type\":\"directory.updated\",\"data\":{}}";

    @Inject
    IngestFixture fixture;

    String tenant;

    @BeforeEach
    void newTenant() {
        tenant = fixture.newTenant();
    }

    /** A correctly signed delivery for each source type of {@link #tenant}, signed at {@code at}. */
    static SignedDelivery signed(SourceType type, Instant at) {
        return switch (type) {
            case STRIPE -> SignedDelivery.stripe(STRIPE_SECRET, STRIPE_BODY, at);
            case SHOPIFY -> SignedDelivery.shopify(SHOPIFY_SECRET, "ev-hostile", "customers/create", SHOPIFY_BODY, at);
            case QUICKBOOKS -> SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, QUICKBOOKS_BODY);
            case XERO -> SignedDelivery.xero(XERO_KEY, XERO_BODY);
            case STANDARD -> SignedDelivery.standard(STANDARD_SECRET, "msg_hostile", STANDARD_BODY, at);
            case FINCH -> SignedDelivery.finch(FINCH_SECRET, "fe-hostile", FINCH_BODY, at);
        };
    }

    // ---------------------------------------------------------------- replays outside the window

    @Test
    void signedTimestampsMoreThan300SecondsOldOrAheadAre401() {
        for (SourceType type : List.of(SourceType.STRIPE, SourceType.STANDARD, SourceType.FINCH)) {
            // 302 and not 301: the test's clock and the function's tick over seconds apart
            signed(type, Instant.now().plusSeconds(302)).post(tenant, type.id())
                    .statusCode(401).body("error", equalTo("invalid_signature"));
            signed(type, Instant.now().minusSeconds(400)).post(tenant, type.id()).statusCode(401);
            signed(type, Instant.ofEpochSecond(0)).post(tenant, type.id()).statusCode(401);
        }
        assertNothingWritten();
    }

    @Test
    void signedTimestampsJustInsideTheWindowAreAccepted() {
        signed(SourceType.STRIPE, Instant.now().plusSeconds(280)).post(tenant, "stripe").statusCode(200);
        signed(SourceType.STANDARD, Instant.now().minusSeconds(280)).post(tenant, "standard").statusCode(200);
        signed(SourceType.FINCH, Instant.now().plusSeconds(280)).post(tenant, "finch").statusCode(200);
        assertEquals(3, fixture.drain(tenant).size());
    }

    /**
     * Shopify signs only the body, so its Triggered-At header neither refuses nor ranks a delivery.
     * A body whose signed updated_at is ahead of our clock is refused (as a version it would outrank
     * later updates). A captured body sent again under a new event id and any Triggered-At cannot be
     * told from a new event and is accepted, but keeps its own updated_at as its version, so it
     * cannot overwrite newer state; the same goes for a genuine late retry with an old Triggered-At.
     */
    @Test
    void shopifyVersionAndReplayWindowComeFromTheSignedBody() {
        Instant now = Instant.now();
        String ahead = shopifyCustomer(now.plus(Duration.ofMinutes(6)));
        SignedDelivery.shopify(SHOPIFY_SECRET, "ev-ahead", "customers/update", ahead, now)
                .post(tenant, "shopify").statusCode(401).body("error", equalTo("invalid_signature"));
        assertNothingWritten();

        Instant updated = now.minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        String captured = shopifyCustomer(updated);
        SignedDelivery.shopify(SHOPIFY_SECRET, "ev-replayed", "customers/update", captured, now)
                .header("X-Shopify-Triggered-At", "9999-12-31T23:59:59Z").post(tenant, "shopify").statusCode(200);
        SignedDelivery.shopify(SHOPIFY_SECRET, "ev-retried", "customers/update", captured, now.minus(Duration.ofHours(6)))
                .post(tenant, "shopify").statusCode(200);

        List<EventEnvelope> envelopes = fixture.drain(tenant);
        assertEquals(2, envelopes.size());
        for (EventEnvelope envelope : envelopes) {
            assertEquals(updated.toEpochMilli(), envelope.version(), envelope.id().eventKey() + " ranks by the body's updated_at");
        }
    }

    /** A customers/update body in Shopify's documented shape, updated at {@code updatedAt} (written with its offset). */
    private static String shopifyCustomer(Instant updatedAt) {
        String at = updatedAt.atOffset(ZoneOffset.ofHours(-5)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return """
                {"id":706405506930370084,"email":"bob@biller.com","created_at":"2021-12-31T19:00:00-05:00","updated_at":"%s",\
                "first_name":"Bob","last_name":"Biller","orders_count":0,"state":"disabled","total_spent":"0.00",\
                "verified_email":true,"tax_exempt":false,"tags":"","currency":"USD","addresses":[],\
                "admin_graphql_api_id":"gid://shopify/Customer/706405506930370084"}""".formatted(at);
    }

    // ---------------------------------------------------------------- tenant isolation

    @Test
    void aValidSignatureWithAnotherTenantsSecretIs401ForEveryProvider() {
        String other = fixture.newTenant();
        for (SourceType type : SourceType.values()) {
            // the other tenant's sources get secrets of their own; the deliveries are signed with this tenant's
            fixture.putSource(new SourceConfig(other, type.id(), type, List.of("inline:" + ownSecret(type)), Optional.empty()));
        }
        for (SourceType type : SourceType.values()) {
            signed(type, Instant.now()).post(other, type.id()).statusCode(401).body("error", equalTo("invalid_signature"));
        }
        assertTrue(fixture.records(other).isEmpty(), "no event record may exist at the other tenant");
        assertTrue(fixture.drain(other).isEmpty(), "no message may be enqueued for the other tenant");
        assertNothingWritten();
    }

    private static String ownSecret(SourceType type) {
        return switch (type) {
            case STANDARD -> "whsec_b3RoZXJfdGVuYW50c19zdGFuZGFyZF9zZWNyZXQ=";
            case FINCH -> "b3RoZXJfdGVuYW50c19maW5jaF9zZWNyZXRfMzJieXRlcw==";
            default -> "other_tenants_" + type.id() + "_secret";
        };
    }

    // ---------------------------------------------------------------- path tricks

    @Test
    void pathTricksFindNoEndpointAndWriteNothing() {
        String upper = tenant.toUpperCase(java.util.Locale.ROOT);
        List<String> paths = List.of(
                "/webhooks/" + tenant + "%2Fstripe/stripe",     // encoded slash inside the tenant
                "/webhooks/" + tenant + "/stripe%2F..",        // ... and inside the source
                "/webhooks/" + tenant + "%2F..%2Fother/stripe",
                "/webhooks/%2E%2E/stripe",                     // encoded dot-dot as the tenant
                "/webhooks/" + tenant + "/%2e%2e",
                "/webhooks/" + tenant + "%252Fx/stripe",       // double-encoded slash
                "/webhooks/" + tenant + "%00/stripe",          // NUL
                "/webhooks/" + tenant + "%20/stripe",          // trailing space
                "/webhooks/" + upper + "/stripe",              // names are lower-case, exactly
                "/webhooks/" + tenant + "/STRIPE",
                "/webhooks/" + tenant + "/Stripe",
                "/webhooks/" + "a".repeat(65) + "/stripe",     // one character over the limit
                "/webhooks/" + tenant + "/" + "s".repeat(65),
                "/webhooks/" + "a".repeat(4000) + "/stripe",
                "/webhooks/" + tenant + "/stripe/extra",
                "/webhooks/" + tenant,
                "/webhooks//stripe");
        for (String path : paths) {
            signed(SourceType.STRIPE, Instant.now()).postTo(path)
                    .statusCode(allOf(greaterThanOrEqualTo(400), lessThan(500)));
        }
        signed(SourceType.STRIPE, Instant.now()).postTo("/webhooks/" + upper + "/stripe")
                .statusCode(404).body("error", equalTo("not_found"));
        signed(SourceType.STRIPE, Instant.now()).postTo("/webhooks/" + tenant + "%2Fstripe/stripe").statusCode(404);
        signed(SourceType.STRIPE, Instant.now()).postTo("/webhooks/" + "a".repeat(65) + "/stripe").statusCode(404);
        assertNothingWritten();
    }

    /**
     * Dot segments are resolved before routing (RFC 3986), as any HTTP server does: the request
     * then names this tenant's endpoint and is held to this tenant's secret. No path spelling
     * reaches a tenant with a signature made for another.
     */
    @Test
    void dotSegmentsResolveToTheEndpointTheyNameAndAreHeldToItsSecret() {
        String other = fixture.newTenant();
        fixture.putSource(new SourceConfig(other, "stripe", SourceType.STRIPE, List.of("inline:whsec_other_only"), Optional.empty()));
        signed(SourceType.STRIPE, Instant.now()).postTo("/webhooks/" + tenant + "/../" + other + "/stripe").statusCode(401);
        signed(SourceType.STRIPE, Instant.now()).postTo("/webhooks/x/../" + other + "/stripe").statusCode(401);
        assertTrue(fixture.records(other).isEmpty());
        assertTrue(fixture.drain(other).isEmpty());
        assertNothingWritten();
    }

    // ---------------------------------------------------------------- header tricks

    /** Header names are case-insensitive (RFC 9110): any spelling verifies. */
    @Test
    void signatureHeadersVerifyWhateverTheirCase() {
        Map<SourceType, List<String>> spellings = Map.of(
                SourceType.STRIPE, List.of("Stripe-Signature", "STRIPE-SIGNATURE"),
                SourceType.SHOPIFY, List.of("X-Shopify-Hmac-Sha256", "x-shopify-hmac-sha256"),
                SourceType.QUICKBOOKS, List.of("intuit-signature", "Intuit-Signature"),
                SourceType.XERO, List.of("x-xero-signature", "X-XERO-SIGNATURE"),
                SourceType.STANDARD, List.of("webhook-signature", "Webhook-Signature"),
                SourceType.FINCH, List.of("Finch-Signature", "finch-SIGNATURE"));
        for (SourceType type : SourceType.values()) {
            List<String> names = spellings.get(type);
            SignedDelivery delivery = signed(type, Instant.now());
            String value = delivery.headers.get(names.get(0));
            delivery.withoutHeader(names.get(0)).header(names.get(1), value);
            if (type == SourceType.STANDARD) {
                delivery.header("WEBHOOK-ID", delivery.headers.remove("webhook-id"))
                        .header("Webhook-Timestamp", delivery.headers.remove("webhook-timestamp"));
            }
            delivery.post(tenant, type.id()).statusCode(200).body("received", equalTo(1));
        }
        assertEquals(6, fixture.drain(tenant).size());
    }

    /**
     * A signature header sent twice is one comma-joined field (RFC 9110), which is not a valid
     * signature, even when both copies are the right one: no copy is picked over the other.
     */
    @Test
    void duplicateSignatureHeadersAre401() throws Exception {
        for (SourceType type : SourceType.values()) {
            SignedDelivery delivery = signed(type, Instant.now());
            String name = signatureHeader(type);
            String good = delivery.headers.remove(name);
            assertEquals(401, post(delivery, type, name, good, name, good), type + ": the right signature twice");
            assertEquals(401, post(delivery, type, name, "garbage", name, good), type + ": garbage, then the right one");
            assertEquals(401, post(delivery, type, name, good, name.toUpperCase(java.util.Locale.ROOT), "v1,AAAA"),
                    type + ": the right one, then another spelled in upper case");
        }
        // the signed id of the Standard Webhooks scheme sent twice no longer matches what was signed
        SignedDelivery standard = signed(SourceType.STANDARD, Instant.now());
        String id = standard.headers.remove("webhook-id");
        assertEquals(401, post(standard, SourceType.STANDARD, "webhook-id", id, "webhook-id", "msg_other"));
        assertNothingWritten();
    }

    @Test
    void emptyHeaderValuesAreRefused() {
        for (SourceType type : SourceType.values()) {
            signed(type, Instant.now()).header(signatureHeader(type), "").post(tenant, type.id()).statusCode(401);
            signed(type, Instant.now()).header(signatureHeader(type), "   ").post(tenant, type.id()).statusCode(401);
        }
        signed(SourceType.STANDARD, Instant.now()).header("webhook-timestamp", "").post(tenant, "standard").statusCode(401);
        signed(SourceType.FINCH, Instant.now()).header("Finch-Event-Id", "").post(tenant, "finch").statusCode(401);
        signed(SourceType.SHOPIFY, Instant.now()).header("X-Shopify-Event-Id", "").post(tenant, "shopify")
                .statusCode(400).body("error", equalTo("malformed_payload"));
        signed(SourceType.SHOPIFY, Instant.now()).header("X-Shopify-Topic", "").post(tenant, "shopify").statusCode(400);
        assertNothingWritten();
    }

    /**
     * An oversized header is refused: here by the HTTP layer (431, over 8 KiB of headers); behind
     * API Gateway, which allows more, by the provider (a header over 8 KiB does not verify: 401).
     */
    @Test
    void hugeHeadersAreRefused() {
        SignedDelivery stripe = signed(SourceType.STRIPE, Instant.now());
        String good = stripe.headers.get("Stripe-Signature");
        stripe.header("Stripe-Signature", good + ",v0=" + "a".repeat(9000)).post(tenant, "stripe")
                .statusCode(anyOf(equalTo(401), equalTo(431)));
        signed(SourceType.SHOPIFY, Instant.now()).header("X-Shopify-Event-Id", "e".repeat(300))
                .post(tenant, "shopify").statusCode(400); // an event id over 256 characters cannot be a key
        refusedOrCutOff(() -> signed(SourceType.STRIPE, Instant.now()).header("X-Padding", "p".repeat(64 * 1024))
                .post(tenant, "stripe").statusCode(allOf(greaterThanOrEqualTo(400), lessThan(500))));
        assertNothingWritten();
    }

    /**
     * The HTTP layer answers 431 as soon as the headers pass its limit and closes the connection; a
     * client still writing the rest of a 64 KiB header then sees a broken pipe instead of the answer.
     * Either is a refusal; what matters is asserted after: nothing was written.
     */
    private static void refusedOrCutOff(Runnable request) {
        try {
            request.run();
        } catch (Exception e) { // REST Assured rethrows the SocketException itself, undeclared
            Throwable cause = e;
            while (cause != null && !(cause instanceof java.net.SocketException)) {
                cause = cause.getCause();
            }
            if (cause == null) {
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
        }
    }

    // ---------------------------------------------------------------- methods and content types

    @Test
    void otherMethodsAre405AndWriteNothing() {
        for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
            signed(SourceType.STRIPE, Instant.now()).send(method, "/webhooks/" + tenant + "/stripe").statusCode(405);
        }
        assertNothingWritten();
    }

    @Test
    void contentTypesOtherThanJsonAre415() throws Exception {
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx", "json", "text/json", "application/octet-stream")) {
            assertEquals(415, send(signed(SourceType.STRIPE, Instant.now()), type), type);
        }
        assertEquals(415, send(signed(SourceType.STRIPE, Instant.now()), null), "no Content-Type at all");
        assertNothingWritten();

        signed(SourceType.STRIPE, Instant.now()).contentType("Application/JSON; charset=UTF-8").post(tenant, "stripe").statusCode(200);
        assertEquals(1, fixture.drain(tenant).size());
    }

    // ---------------------------------------------------------------- what the queue cannot carry

    /**
     * Found by ProviderFuzzTest: U+FFFF in a signed body (valid UTF-8) and a lone surrogate written
     * as an escape made SQS refuse the envelope, so the delivery answered 503 on every retry. Now
     * the envelope carries them escaped and the worker gets the same JSON.
     */
    @Test
    void aBodyWithCharactersSqsRefusesIsEnqueuedEscapedNotRefusedForever() throws Exception {
        String body = "{\"id\":\"evt_ffff\",\"object\":\"event\",\"type\":\"customer.created\",\"created\":1700000000,"
                + "\"data\":{\"object\":{\"name\":\"a\uffffb\",\"lone\":\"x\\ud800y\",\"amount\":1.10}}}";
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200).body("received", equalTo(1));

        List<EventEnvelope> envelopes = fixture.drain(tenant);
        assertEquals(1, envelopes.size());
        JsonNode object = new ObjectMapper().readTree(envelopes.get(0).payload()).at("/data/object");
        assertEquals("a\uffffb", object.get("name").asText());
        assertEquals("x\ud800y", object.get("lone").asText());
        assertTrue(envelopes.get(0).payload().contains("\"amount\":1.10"), "decimals reach the worker as sent");
    }

    /** An event id or type SQS cannot carry (the type is a message attribute) is a clear 400, not a 503 forever. */
    @Test
    void anEventIdOrTypeSqsCannotCarryIs400() {
        SignedDelivery.stripe(STRIPE_SECRET, ProviderDeliveriesTest.stripeEvent("evt_\\ud800", "customer.created", 1), Instant.now())
                .post(tenant, "stripe").statusCode(400).body("error", equalTo("malformed_payload"));
        SignedDelivery.stripe(STRIPE_SECRET, ProviderDeliveriesTest.stripeEvent("evt_1", "customer.\\uffff", 1), Instant.now())
                .post(tenant, "stripe").statusCode(400);
        assertNothingWritten();
    }

    // ----------------------------------------------------------------

    static String signatureHeader(SourceType type) {
        return switch (type) {
            case STRIPE -> "Stripe-Signature";
            case SHOPIFY -> "X-Shopify-Hmac-Sha256";
            case QUICKBOOKS -> "intuit-signature";
            case XERO -> "x-xero-signature";
            case STANDARD -> "webhook-signature";
            case FINCH -> "Finch-Signature";
        };
    }

    /**
     * The delivery with extra header lines, written byte for byte on a socket: each line as given,
     * repeated names and their case included (HTTP clients fold or merge such headers).
     */
    private int post(SignedDelivery delivery, SourceType type, String... namesAndValues) throws Exception {
        StringBuilder head = new StringBuilder("POST /webhooks/" + tenant + "/" + type.id() + " HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n")
                .append("Content-Type: ").append(delivery.contentType).append("\r\n")
                .append("Content-Length: ").append(delivery.body.length).append("\r\n");
        delivery.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            head.append(namesAndValues[i]).append(": ").append(namesAndValues[i + 1]).append("\r\n");
        }
        head.append("\r\n");
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(delivery.body);
            out.flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(status.split(" ")[1]); // "HTTP/1.1 401 Unauthorized"
        }
    }

    /**
     * Sent by the JDK client, which adds no Content-Type of its own and does not encode the body
     * for form types (REST Assured does both).
     */
    private int send(SignedDelivery delivery, String contentType) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/webhooks/" + tenant + "/stripe"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(delivery.body));
        delivery.headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return java.net.http.HttpClient.newHttpClient()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void assertNothingWritten() {
        assertTrue(fixture.records(tenant).isEmpty(), "no event record may exist");
        assertTrue(fixture.drain(tenant).isEmpty(), "no message may be enqueued");
    }
}
