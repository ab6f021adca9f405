package dev.ledgerhook.providers;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Any sender following the Standard Webhooks specification: headers {@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}; secret "whsec_" + base64 (the bare base64
 * is accepted too). The event key is webhook-id, which the specification requires to stay the same
 * across retries of one message.
 */
@ApplicationScoped
public class StandardWebhooksProvider implements WebhookProvider {

    private final StandardWebhooksScheme scheme = 
            new StandardWebhooksScheme("webhook-id", "webhook-timestamp", "webhook-signature", true, "type");

    public StandardWebhooksProvider() {}

    @Override
    public SourceType type() {
        return SourceType.STANDARD;
    }

    @Override
    public void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException {
        scheme.verify(request, secrets, now);
    }

    @Override
    public List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException {
        return scheme.parse(request);
    }

    /**
     * The retry schedule belongs to the sender, not to the specification. Three days covers Svix's
     * published schedule (the last attempt about 1.5 days after the first) with room to spare.
     */
    @Override
    public Duration retryWindow() {
        return Duration.ofDays(3);
    }
}
