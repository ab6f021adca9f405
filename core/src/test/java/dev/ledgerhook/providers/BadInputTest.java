package dev.ledgerhook.providers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Verified deliveries that cannot be turned into events answer 400, never 500. */
class BadInputTest {

    static final WebhookProviders PROVIDERS = new WebhookProviders();

    /** The headers each provider needs to get as far as reading the body. */
    static String[] headersFor(SourceType type) {
        return switch (type) {
            case SHOPIFY -> new String[] {"X-Shopify-Event-Id", "e1", "X-Shopify-Topic", "orders/paid"};
            case STANDARD -> new String[] {"webhook-id", "msg_1", "webhook-timestamp", "1614265330"};
            case FINCH -> new String[] {"Finch-Event-Id", "msg_1", "Finch-Timestamp", "1676312382"};
            default -> new String[0];
        };
    }

    static Stream<Arguments> badBodies() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty body", new byte[0]);
        bodies.put("invalid JSON", "{\"id\": ".getBytes(StandardCharsets.UTF_8));
        bodies.put("not JSON at all", "hello".getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'});
        bodies.put("lone invalid UTF-8", new byte[] {(byte) 0xC3, 0x28});
        bodies.put("trailing garbage", "{\"id\":\"a\"} {}".getBytes(StandardCharsets.UTF_8));
        bodies.put("JSON null", "null".getBytes(StandardCharsets.UTF_8));
        bodies.put("nested too deep", "[".repeat(5000).getBytes(StandardCharsets.UTF_8));
        List<Arguments> cases = new ArrayList<>();
        for (SourceType type : SourceType.values()) {
            bodies.forEach((name, body) -> cases.add(Arguments.of(type, name, body)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badBodies")
    void badBodyIsMalformed(SourceType type, String name, byte[] body) {
        WebhookRequest request = Fixtures.request(body, headersFor(type));
        assertThrows(MalformedDeliveryException.class, () -> PROVIDERS.forType(type).parse(request));
    }

    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                Arguments.of(SourceType.STRIPE, "{\"type\":\"customer.created\",\"created\":1}"),
                Arguments.of(SourceType.STRIPE, "{\"id\":\"evt_1\",\"created\":1}"),
                Arguments.of(SourceType.STRIPE, "{\"id\":7,\"type\":\"customer.created\",\"created\":1}"),
                Arguments.of(SourceType.STRIPE, "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":1.5}"),
                Arguments.of(SourceType.STRIPE, "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":99999999999999999999}"),
                Arguments.of(SourceType.STRIPE, "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"created\":9223372036854775807}"),
                Arguments.of(SourceType.STRIPE, "{\"id\":\"" + "x".repeat(257) + "\",\"type\":\"t\",\"created\":1}"),
                Arguments.of(SourceType.STRIPE, "[]"),
                Arguments.of(SourceType.STANDARD, "{\"type\":5}"),
                Arguments.of(SourceType.STANDARD, "[\"type\"]"),
                Arguments.of(SourceType.FINCH, "{\"type\":\"directory.updated\"}"),
                Arguments.of(SourceType.XERO, "{\"events\":null}"),
                // found by ProviderFuzzTest: SQS cannot carry these in the envelope's key or the eventType attribute
                Arguments.of(SourceType.STRIPE, "{\"id\":\"evt_\\ud800\",\"type\":\"customer.created\",\"created\":1}"),
                Arguments.of(SourceType.STRIPE, "{\"id\":\"evt_1\",\"type\":\"customer.\\uffff\",\"created\":1}"),
                Arguments.of(SourceType.STANDARD, "{\"type\":\"invoice.\\u0000\"}"),
                Arguments.of(SourceType.XERO, "{\"events\":[{\"tenantId\":\"t\",\"eventCategory\":\"C\",\"resourceId\":\"1\","
                        + "\"eventType\":\"\\ufffe\",\"eventDateUtc\":\"2023-11-14T22:13:20\"}]}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("wrongShapes")
    void missingOrMistypedFieldIsMalformed(SourceType type, String body) {
        WebhookRequest request = Fixtures.request(body, headersFor(type));
        assertThrows(MalformedDeliveryException.class, () -> PROVIDERS.forType(type).parse(request));
    }

    @Test
    void missingRequiredHeadersAreMalformed() {
        String body = "{\"type\":\"invoice.paid\",\"event_type\":\"directory.updated\"}";
        for (SourceType type : List.of(SourceType.SHOPIFY, SourceType.STANDARD, SourceType.FINCH)) {
            String[] all = headersFor(type);
            for (int omit = 0; omit < all.length; omit += 2) {
                List<String> kept = new ArrayList<>();
                for (int i = 0; i < all.length; i += 2) {
                    if (i != omit) {
                        kept.add(all[i]);
                        kept.add(all[i + 1]);
                    }
                }
                WebhookRequest request = Fixtures.request(body, kept.toArray(String[]::new));
                assertThrows(MalformedDeliveryException.class, () -> PROVIDERS.forType(type).parse(request),
                        type + " without " + all[omit]);
            }
        }
    }

    @Test
    void aRepeatedSignatureHeaderDoesNotVerify() {
        String body = "{\"id\":1}";
        String signature = Fixtures.hmacBase64("secret", body);
        WebhookRequest shopify = Fixtures.request(body, "X-Shopify-Hmac-Sha256", signature,
                "x-shopify-hmac-sha256", signature, "X-Shopify-Event-Id", "e1", "X-Shopify-Topic", "orders/paid");
        assertThrows(SignatureException.class,
                () -> PROVIDERS.forType(SourceType.SHOPIFY).verify(shopify, List.of("secret"), java.time.Instant.now()));
        long t = java.time.Instant.now().getEpochSecond();
        String v1 = Fixtures.hmacHex("whsec_x", t + "." + body);
        WebhookRequest stripe = Fixtures.request(body, "Stripe-Signature", "t=" + t + ",v1=" + v1,
                "Stripe-Signature", "t=" + (t - 1) + ",v1=" + v1);
        assertThrows(SignatureException.class,
                () -> PROVIDERS.forType(SourceType.STRIPE).verify(stripe, List.of("whsec_x"), java.time.Instant.now()));
    }

    /** Whatever arrives, verify and parse answer with their checked exceptions only (401/400, never 500). */
    @Test
    void randomGarbageNeverEscapesAsAnUncheckedException() {
        Random random = new Random(20240601L);
        String[] names = {"Stripe-Signature", "X-Shopify-Hmac-Sha256", "X-Shopify-Event-Id", "X-Shopify-Topic",
                "X-Shopify-Triggered-At", "intuit-signature", "x-xero-signature", "webhook-id", "webhook-timestamp",
                "webhook-signature", "Finch-Event-Id", "Finch-Timestamp", "Finch-Signature"};
        String[] fragments = {"t=", "v1=", "v1,", ",", " ", "=", "1614265330", "-1", "99999999999999999999", "\u0000",
                "\u00e9", "abc", "==", "+/", "2024-06-01T12:00:00Z", "+999999999-12-31T23:59:59Z", "{", "}", "[", "\"", ":"};
        for (int round = 0; round < 3000; round++) {
            List<String> headers = new ArrayList<>();
            for (String name : names) {
                if (random.nextInt(3) > 0) {
                    StringBuilder value = new StringBuilder();
                    for (int i = random.nextInt(6); i > 0; i--) {
                        value.append(fragments[random.nextInt(fragments.length)]);
                    }
                    headers.add(name);
                    headers.add(value.toString());
                }
            }
            byte[] body = new byte[random.nextInt(40)];
            if (random.nextBoolean()) {
                random.nextBytes(body);
            } else {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(12); i > 0; i--) {
                    text.append(fragments[random.nextInt(fragments.length)]);
                }
                body = text.toString().getBytes(StandardCharsets.UTF_8);
            }
            WebhookRequest request = Fixtures.request(body, headers.toArray(String[]::new));
            List<String> secrets = random.nextBoolean() ? List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") : List.of("", "%%");
            Instant now = Instant.ofEpochSecond(random.nextBoolean() ? 1614265330L : random.nextLong() % 10_000_000_000L);
            for (SourceType type : SourceType.values()) {
                WebhookProvider provider = PROVIDERS.forType(type);
                try {
                    provider.verify(request, secrets, now);
                } catch (SignatureException expected) {
                    // fine
                } catch (RuntimeException e) {
                    fail(type + " verify threw " + e, e);
                }
                try {
                    if (provider.parse(request) == null) {
                        fail(type + " parse returned null");
                    }
                } catch (MalformedDeliveryException expected) {
                    // fine
                } catch (RuntimeException e) {
                    fail(type + " parse threw " + e, e);
                }
            }
        }
    }
}
