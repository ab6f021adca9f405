package dev.ledgerhook.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookProvidersTest {

    @Test
    void everySourceTypeHasItsProvider() {
        WebhookProviders providers = new WebhookProviders();
        for (SourceType type : SourceType.values()) {
            assertEquals(type, providers.forType(type).type());
            assertTrue(providers.forType(type).retryWindow().toHours() >= 4, type.id());
            assertEquals(type == SourceType.XERO, providers.forType(type).acceptsEmptyDelivery(), type.id());
        }
    }

    @Test
    void sourceIdsAreLowerCaseAndRoundTrip() {
        assertEquals(List.of("stripe", "shopify", "quickbooks", "xero", "standard", "finch"),
                Arrays.stream(SourceType.values()).map(SourceType::id).toList());
        for (SourceType type : SourceType.values()) {
            assertEquals(Optional.of(type), SourceType.fromId(type.id()));
        }
        assertEquals(Optional.empty(), SourceType.fromId("Stripe"));
        assertEquals(Optional.empty(), SourceType.fromId("paypal"));
        assertEquals(Optional.empty(), SourceType.fromId(null));
    }

    @Test
    void headersAreFoundCaseInsensitively() throws Exception {
        WebhookRequest request = new WebhookRequest(Map.of("Content-Type", List.of("application/json")), new byte[0]);
        assertEquals(Optional.of("application/json"), request.header("content-type"));
        assertEquals(Optional.empty(), request.header("x-missing"));
    }

    @Test
    void aHeaderSentTwiceIsOneFieldJoinedWithCommas() throws Exception {
        WebhookRequest split = new WebhookRequest(Map.of("X-A", List.of("1", "2")), new byte[0]);
        WebhookRequest differentCase = Fixtures.request("{}", "X-A", "1", "x-a", "2");
        assertEquals("1,2", split.header("x-a").orElseThrow());
        assertEquals("1,2", differentCase.header("X-A").orElseThrow());
    }

    @Test
    void nullHeadersAndBodyAreTreatedAsEmpty() throws Exception {
        WebhookRequest request = new WebhookRequest(null, null);
        assertFalse(request.header("x").isPresent());
        assertEquals(0, request.body().length);
    }
}
