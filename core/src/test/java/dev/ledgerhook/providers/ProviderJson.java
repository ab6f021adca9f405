package dev.ledgerhook.providers;

import com.fasterxml.jackson.databind.JsonNode;

/** The providers' own JSON reading and writing, for tests outside this package. */
public final class ProviderJson {

    private ProviderJson() {
    }

    /** As a provider reads a body; throws {@link MalformedDeliveryException} where the provider would answer 400. */
    public static JsonNode read(String text) throws MalformedDeliveryException {
        return Deliveries.json(text);
    }

    /** As Xero's and QuickBooks' events are re-serialised. */
    public static String write(JsonNode node) throws MalformedDeliveryException {
        return Deliveries.compact(node);
    }
}
