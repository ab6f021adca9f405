package dev.ledgerhook.providers;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** Maps a source type to its provider. Works as a CDI bean and with plain {@code new} in tests. */
@ApplicationScoped
public class WebhookProviders {

    private final Map<SourceType, WebhookProvider> providers = new EnumMap<>(SourceType.class);

    public WebhookProviders() {
        for (WebhookProvider provider : new WebhookProvider[] {
                new StripeProvider(), new ShopifyProvider(), new QuickBooksProvider(),
                new XeroProvider(), new StandardWebhooksProvider(), new FinchProvider()}) {
            providers.put(provider.type(), provider);
        }
    }

    public WebhookProvider forType(SourceType type) {
        return providers.get(Objects.requireNonNull(type, "type"));
    }
}
