package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.FINCH_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.FINCH_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.QUICKBOOKS_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.QUICKBOOKS_TOKEN;
import static dev.ledgerhook.ingest.IngestFixture.SHOPIFY_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.SHOPIFY_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.STANDARD_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.STANDARD_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.STRIPE_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.XERO_KEY;
import static dev.ledgerhook.ingest.IngestFixture.XERO_ROTATED;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.teststack.TestStackResource;
import dev.ledgerhook.tenants.SourceConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * No configured secret, nor its key bytes in any usual encoding, nor a signature the function
 * expected, appears in anything the function writes: its standard output and error (the outcome
 * lines) and every record of the log manager (Quarkus' and the libraries' logging, stack traces
 * included), and no response body either. Driven with good and bad deliveries of all six
 * providers: wrong and rotated secrets, tampered bodies, stale timestamps, missing and garbage
 * headers, malformed bodies, a secret that cannot be read, a misconfigured source.
 */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class SecretsStayOutOfLogsTest {

    static final List<String> SECRETS = List.of(STRIPE_SECRET, STRIPE_ROTATED, SHOPIFY_SECRET, SHOPIFY_ROTATED,
            QUICKBOOKS_TOKEN, QUICKBOOKS_ROTATED, XERO_KEY, XERO_ROTATED, STANDARD_SECRET, STANDARD_ROTATED,
            FINCH_SECRET, FINCH_ROTATED);

    @Inject
    IngestFixture fixture;

    private final List<String> bodies = new ArrayList<>();
    /** Signatures the function computed and compared against, for deliveries that did not carry them. */
    private final Set<String> expectedSignatures = new LinkedHashSet<>();

    @Test
    void noSecretKeyOrExpectedSignatureReachesLogsOrResponses() throws Exception {
        Capture capture = Capture.start();
        try {
            String tenant = fixture.newTenant();
            stripe(tenant);
            shopify(tenant);
            quickbooks(tenant);
            xero(tenant);
            standardAndFinch(tenant);
            unreadableSecretsAndMisconfiguredSources(tenant);
        } finally {
            capture.stop();
        }
        String logs = capture.text();
        // the capture sees what the function writes, or this test proves nothing
        assertTrue(logs.contains("\"outcome\":\"accepted\""), "outcome lines are captured");
        assertTrue(logs.contains("\"outcome\":\"invalid_signature\""), "refusals are captured");
        assertTrue(logs.contains("\"outcome\":\"secret_unavailable\""), "secret failures are captured");
        assertTrue(bodies.size() > 40, "responses are collected");

        for (String forbidden : forbidden()) {
            if (logs.contains(forbidden)) {
                fail("the logs hold a secret or an expected signature: " + mask(forbidden) + " in\n" + around(logs, forbidden));
            }
            for (String body : bodies) {
                if (body.contains(forbidden)) {
                    fail("a response body holds a secret or an expected signature: " + mask(forbidden));
                }
            }
        }
    }

    // ---------------------------------------------------------------- deliveries

    private void stripe(String tenant) {
        String body = ProviderDeliveriesTest.stripeEvent("evt_secret_1", "customer.created", 1_700_000_000);
        Instant now = Instant.now();
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, now).post(tenant, "stripe"), 200);
        answer(SignedDelivery.stripe(STRIPE_ROTATED, body, now).post(tenant, "stripe"), 200); // duplicate
        expect(SignedDelivery.stripe(STRIPE_SECRET, body, now), "Stripe-Signature");
        answer(SignedDelivery.stripe("whsec_wrong_secret", body, now).post(tenant, "stripe"), 401);
        String tampered = body.replace("cus_9", "cus_8");
        expect(SignedDelivery.stripe(STRIPE_SECRET, tampered, now), "Stripe-Signature");
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, now).body(tampered.getBytes(StandardCharsets.UTF_8))
                .post(tenant, "stripe"), 401);
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, now.minusSeconds(600)).post(tenant, "stripe"), 401);
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, now).withoutHeader("Stripe-Signature").post(tenant, "stripe"), 401);
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, now).header("Stripe-Signature", "t=x,v1=" + STRIPE_SECRET.length())
                .post(tenant, "stripe"), 401);
        answer(SignedDelivery.stripe(STRIPE_SECRET, "{\"id\":", now).post(tenant, "stripe"), 400);
        answer(SignedDelivery.stripe(STRIPE_SECRET, "[]", now).post(tenant, "stripe"), 400);
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, now).contentType("text/plain").post(tenant, "stripe"), 415);
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, now).post("no-such-tenant", "stripe"), 404);
    }

    private void shopify(String tenant) {
        String body = "{\"id\":1,\"email\":\"jon@example.com\"}";
        Instant now = Instant.now();
        answer(SignedDelivery.shopify(SHOPIFY_SECRET, "ev-s1", "customers/create", body, now).post(tenant, "shopify"), 200);
        expect(SignedDelivery.shopify(SHOPIFY_SECRET, "ev-s2", "customers/create", body, now), "X-Shopify-Hmac-Sha256");
        answer(SignedDelivery.shopify("wrong", "ev-s2", "customers/create", body, now).post(tenant, "shopify"), 401);
        String ahead = "{\"id\":1,\"email\":\"jon@example.com\",\"updated_at\":\"" + now.plus(Duration.ofHours(6)) + "\"}";
        answer(SignedDelivery.shopify(SHOPIFY_SECRET, "ev-s3", "customers/create", ahead, now).post(tenant, "shopify"), 401);
        answer(SignedDelivery.shopify(SHOPIFY_SECRET, "ev-s4", "customers/create", body, now)
                .header("X-Shopify-Hmac-Sha256", "not base64!").post(tenant, "shopify"), 401);
        answer(SignedDelivery.shopify(SHOPIFY_SECRET, "ev-s5", "customers/create", "not json", now).post(tenant, "shopify"), 400);
        answer(SignedDelivery.shopify(SHOPIFY_SECRET, "ev-s6", "customers/create", body, now)
                .withoutHeader("X-Shopify-Event-Id").post(tenant, "shopify"), 400);
    }

    private void quickbooks(String tenant) {
        String body = "[{\"specversion\":\"1.0\",\"id\":\"ce-secret\",\"source\":\"intuit\",\"type\":\"qbo.customer.created.v1\","
                + "\"time\":\"2026-11-20T10:00:00.000Z\",\"data\":{}}]";
        answer(SignedDelivery.quickbooks(QUICKBOOKS_ROTATED, body).post(tenant, "quickbooks"), 200);
        String other = body.replace("ce-secret", "ce-other");
        expect(SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, other), "intuit-signature");
        expect(SignedDelivery.quickbooks(QUICKBOOKS_ROTATED, other), "intuit-signature");
        answer(SignedDelivery.quickbooks("wrong", other).post(tenant, "quickbooks"), 401);
        answer(SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, "{\"eventNotifications\":[{}]}").post(tenant, "quickbooks"), 400);
        answer(SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, body).withoutHeader("intuit-signature").post(tenant, "quickbooks"), 401);
    }

    private void xero(String tenant) {
        String intent = "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"S0m3\"}";
        answer(SignedDelivery.xero(XERO_KEY, intent).post(tenant, "xero"), 200);
        expect(SignedDelivery.xero(XERO_KEY, intent), "x-xero-signature");
        expect(SignedDelivery.xero(XERO_ROTATED, intent), "x-xero-signature");
        answer(SignedDelivery.xero("wrong", intent).post(tenant, "xero"), 401);
        answer(SignedDelivery.xero(XERO_KEY, intent).header("x-xero-signature", "").post(tenant, "xero"), 401);
        answer(SignedDelivery.xero(XERO_KEY, "{\"events\":[{\"tenantId\":1}]}").post(tenant, "xero"), 400);
    }

    private void standardAndFinch(String tenant) {
        String standard = "{\"type\":\"invoice.paid\",\"data\":{\"id\":\"inv_1\"}}";
        String finch = "{\"company_id\":\"c-1\",\"event_type\":\"directory.updated\",\"data\":{}}";
        Instant now = Instant.now();
        answer(SignedDelivery.standard(STANDARD_SECRET, "msg_s1", standard, now).post(tenant, "standard"), 200);
        answer(SignedDelivery.finch(FINCH_ROTATED, "fe-s1", finch, now).post(tenant, "finch"), 200);
        expect(SignedDelivery.standard(STANDARD_SECRET, "msg_s2", standard, now), "webhook-signature");
        expect(SignedDelivery.standard(STANDARD_ROTATED, "msg_s2", standard, now), "webhook-signature");
        answer(SignedDelivery.standard("whsec_d3JvbmdfZ3Vlc3M=", "msg_s2", standard, now).post(tenant, "standard"), 401);
        expect(SignedDelivery.finch(FINCH_SECRET, "fe-s2", finch, now), "Finch-Signature");
        answer(SignedDelivery.finch("d3JvbmdfZmluY2g=", "fe-s2", finch, now).post(tenant, "finch"), 401);
        answer(SignedDelivery.standard(STANDARD_SECRET, "msg_s3", standard, now.minusSeconds(900)).post(tenant, "standard"), 401);
        answer(SignedDelivery.finch(FINCH_SECRET, "fe-s3", finch, now.plusSeconds(900)).post(tenant, "finch"), 401);
        answer(SignedDelivery.standard(STANDARD_SECRET, "msg_s4", standard, now).header("webhook-timestamp", "soon")
                .post(tenant, "standard"), 401);
        answer(SignedDelivery.standard(STANDARD_SECRET, "msg_s5", "{\"data\":{}}", now).post(tenant, "standard"), 400);
        answer(SignedDelivery.finch(FINCH_SECRET, "fe-s4", finch, now).withoutHeader("Finch-Event-Id").post(tenant, "finch"), 401);
    }

    private void unreadableSecretsAndMisconfiguredSources(String tenant) {
        String body = ProviderDeliveriesTest.stripeEvent("evt_secret_2", "customer.created", 1_700_000_000);
        for (SourceType type : SourceType.values()) {
            // one good inline secret next to one that cannot be read: the source cannot verify now (503)
            fixture.putSource(new SourceConfig(tenant, "broken-" + type.id(), type,
                    List.of("inline:" + secretOf(type), "vault:" + secretOf(type)), Optional.empty()));
            fixture.putSource(new SourceConfig(tenant, "nameless-" + type.id(), type,
                    List.of("secretsmanager:", "inline:" + secretOf(type)), Optional.empty()));
            answer(SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "broken-" + type.id()), 503);
            answer(SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "nameless-" + type.id()), 503);
        }
        fixture.putSource(new SourceConfig(tenant, "short-retention", SourceType.STRIPE, List.of("inline:" + STRIPE_SECRET),
                Optional.of(Duration.ofDays(1))));
        answer(SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "short-retention"), 503);
    }

    private static String secretOf(SourceType type) {
        return switch (type) {
            case STRIPE -> STRIPE_SECRET;
            case SHOPIFY -> SHOPIFY_SECRET;
            case QUICKBOOKS -> QUICKBOOKS_TOKEN;
            case XERO -> XERO_KEY;
            case STANDARD -> STANDARD_SECRET;
            case FINCH -> FINCH_SECRET;
        };
    }

    private void answer(ValidatableResponse response, int status) {
        response.statusCode(status);
        bodies.add(response.extract().asString());
    }

    /** The signature the function computes for this delivery, while it is sent with another. */
    private void expect(SignedDelivery correct, String header) {
        String value = correct.headers.get(header);
        expectedSignatures.add(value);
        for (String part : value.split("[,=]")) {
            if (part.length() >= 16) {
                expectedSignatures.add(part); // the hex or base64 MAC alone
            }
        }
    }

    // ---------------------------------------------------------------- what may not appear

    private Set<String> forbidden() {
        Set<String> forbidden = new LinkedHashSet<>(expectedSignatures);
        for (String secret : SECRETS) {
            byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
            forbidden.add(secret);
            forbidden.add(HexFormat.of().formatHex(utf8));
            forbidden.add(Base64.getEncoder().encodeToString(utf8));
            String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
            try {
                byte[] key = Base64.getDecoder().decode(encoded); // Standard Webhooks and Finch: the key bytes
                forbidden.add(encoded);
                forbidden.add(HexFormat.of().formatHex(key));
                forbidden.add(new String(key, StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException notBase64) {
                // a plain text secret: its own bytes are the key
            }
        }
        forbidden.removeIf(text -> text.length() < 12); // nothing short enough to match by chance
        return forbidden;
    }

    private static String mask(String secret) {
        return secret.substring(0, 4) + "..." + " (" + secret.length() + " characters)";
    }

    /** The line that holds it, the secret itself masked. */
    private static String around(String text, String secret) {
        int at = text.indexOf(secret);
        int end = text.indexOf('\n', at);
        return text.substring(text.lastIndexOf('\n', at) + 1, end < 0 ? text.length() : end).replace(secret, "<secret>");
    }

    /** Everything written to standard output and error, and every log record, while it runs. */
    static final class Capture {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final StringBuilder records = new StringBuilder();
        private final PrintStream originalOut = System.out;
        private final PrintStream originalErr = System.err;
        private final Handler handler = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                StringWriter text = new StringWriter();
                text.append(record.getLoggerName()).append(' ').append(formatter.formatMessage(record)).append('\n');
                if (record.getThrown() != null) {
                    record.getThrown().printStackTrace(new PrintWriter(text));
                }
                synchronized (records) {
                    records.append(text);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        static Capture start() {
            Capture capture = new Capture();
            System.setOut(new PrintStream(new Tee(capture.out, capture.originalOut), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(capture.out, capture.originalErr), true, StandardCharsets.UTF_8));
            capture.handler.setLevel(Level.ALL);
            Logger.getLogger("").addHandler(capture.handler);
            return capture;
        }

        void stop() {
            Logger.getLogger("").removeHandler(handler);
            System.setOut(originalOut);
            System.setErr(originalErr);
        }

        String text() {
            synchronized (records) {
                return out.toString(StandardCharsets.UTF_8) + "\n" + records;
            }
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream copy;
        private final OutputStream original;

        Tee(OutputStream copy, OutputStream original) {
            this.copy = copy;
            this.original = original;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            synchronized (copy) {
                copy.write(b);
            }
            original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            original.write(b, off, len);
        }
    }
}
