package dev.ledgerhook.providers;

import static dev.ledgerhook.providers.FuzzDeliveries.NOW;
import static dev.ledgerhook.providers.FuzzDeliveries.checkEvents;
import static dev.ledgerhook.providers.FuzzDeliveries.header;
import static dev.ledgerhook.providers.FuzzDeliveries.request;
import static dev.ledgerhook.providers.FuzzDeliveries.secrets;
import static dev.ledgerhook.providers.FuzzDeliveries.signed;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Every provider's verifier and parser under arbitrary deliveries. The property: only
 * {@link SignatureException} (401) and {@link MalformedDeliveryException} (400) leave them, with a
 * message that names no secret; anything else (a NullPointerException, a Jackson runtime
 * exception, a StackOverflowError...) would be a 500 in the ingest function and is a finding.
 *
 * <p>Two targets per provider: the delivery as fuzzed (mostly refused by the verifier), and the
 * delivery re-signed correctly with the source's secret, which must then verify and whose events
 * must survive the queue intact ({@link FuzzDeliveries#checkEvents}). Without {@code JAZZER_FUZZ}
 * each target replays its committed inputs under
 * {@code src/test/resources/dev/ledgerhook/providers/ProviderFuzzTestInputs/<target>/}.
 */
class ProviderFuzzTest {

    private static final WebhookProviders PROVIDERS = new WebhookProviders();

    @FuzzTest
    void stripe(byte[] input) throws Exception {
        deliver(SourceType.STRIPE, request(input), false);
    }

    @FuzzTest
    void stripeSigned(byte[] input) throws Exception {
        deliver(SourceType.STRIPE, signed(SourceType.STRIPE, request(input)), true);
    }

    @FuzzTest
    void shopify(byte[] input) throws Exception {
        deliver(SourceType.SHOPIFY, request(input), false);
    }

    @FuzzTest
    void shopifySigned(byte[] input) throws Exception {
        deliver(SourceType.SHOPIFY, signed(SourceType.SHOPIFY, request(input)), true);
    }

    @FuzzTest
    void quickbooks(byte[] input) throws Exception {
        deliver(SourceType.QUICKBOOKS, request(input), false);
    }

    @FuzzTest
    void quickbooksSigned(byte[] input) throws Exception {
        deliver(SourceType.QUICKBOOKS, signed(SourceType.QUICKBOOKS, request(input)), true);
    }

    @FuzzTest
    void xero(byte[] input) throws Exception {
        deliver(SourceType.XERO, request(input), false);
    }

    @FuzzTest
    void xeroSigned(byte[] input) throws Exception {
        deliver(SourceType.XERO, signed(SourceType.XERO, request(input)), true);
    }

    @FuzzTest
    void standard(byte[] input) throws Exception {
        deliver(SourceType.STANDARD, request(input), false);
    }

    @FuzzTest
    void standardSigned(byte[] input) throws Exception {
        deliver(SourceType.STANDARD, signed(SourceType.STANDARD, request(input)), true);
    }

    @FuzzTest
    void finch(byte[] input) throws Exception {
        deliver(SourceType.FINCH, request(input), false);
    }

    @FuzzTest
    void finchSigned(byte[] input) throws Exception {
        deliver(SourceType.FINCH, signed(SourceType.FINCH, request(input)), true);
    }

    /**
     * Through {@link WebhookProviders}, as the ingest function dispatches: the first byte picks the
     * source type (and whether to sign), the rest is the delivery; the secrets may be anything a
     * misconfigured source could hold.
     */
    @FuzzTest
    void dispatch(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        SourceType type = SourceType.values()[(input[0] & 0x7f) % SourceType.values().length];
        WebhookRequest request = request(Arrays.copyOfRange(input, 1, input.length));
        if ((input[0] & 0x80) != 0) {
            deliver(type, signed(type, request), true);
        } else {
            String odd = header(request, "X-Fuzz-Secret");
            List<String> secrets = odd == null ? secrets(type) : Arrays.asList(odd, null, "");
            deliver(PROVIDERS.forType(type), type, request, secrets, false);
        }
    }

    static void deliver(SourceType type, WebhookRequest request, boolean correctlySigned) throws Exception {
        deliver(PROVIDERS.forType(type), type, request, secrets(type), correctlySigned);
    }

    private static void deliver(WebhookProvider provider, SourceType type, WebhookRequest request,
                                List<String> secrets, boolean correctlySigned) throws Exception {
        try {
            provider.verify(request, secrets, NOW);
        } catch (SignatureException refused) {
            assertNamesNoSecret(refused);
            if (correctlySigned && !mayRefuseSigned(type, request)) {
                throw new AssertionError("a correctly signed delivery was refused: " + refused.getMessage());
            }
            return;
        }
        List<ProviderEvent> events;
        try {
            events = provider.parse(request);
        } catch (MalformedDeliveryException malformed) {
            assertNamesNoSecret(malformed);
            return;
        }
        checkEvents(type, events);
    }

    /** Refusing a correctly signed delivery is right only for what the signature does not vouch for. */
    private static boolean mayRefuseSigned(SourceType type, WebhookRequest request) {
        return switch (type) {
            case SHOPIFY -> ShopifyProvider.signedChangedAt(request) // a signed updated_at in the future
                    .filter(at -> at > NOW.plus(ShopifyProvider.CLOCK_SKEW).toEpochMilli()).isPresent();
            case STANDARD -> blank(header(request, "webhook-id"));
            case FINCH -> blank(header(request, "Finch-Event-Id"));
            default -> false;
        };
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static void assertNamesNoSecret(Exception refusal) {
        String message = String.valueOf(refusal.getMessage());
        for (SourceType type : SourceType.values()) {
            for (String secret : secrets(type)) {
                assertFalse(message.contains(secret), "a refusal names a secret: " + message);
            }
        }
    }
}
