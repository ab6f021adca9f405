package dev.ledgerhook.providers;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Finch: the Standard Webhooks scheme under {@code Finch-Event-Id}, {@code Finch-Timestamp} and
 * {@code Finch-Signature}, with the secret given as plain base64 (no "whsec_" prefix), as Finch's
 * own SDKs verify it.
 */
@ApplicationScoped
public class FinchProvider implements WebhookProvider {

    private final StandardWebhooksScheme scheme =
            new StandardWebhooksScheme("Finch-Event-Id", "Finch-Timestamp", "Finch-Signature", false, "event_type");

    public FinchProvider() {}

    @Override
    public SourceType type() {
        return SourceType.FINCH;
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
     * Finch's documented schedule is immediately, then after 5 s, 5 min, 30 min and 2 h (under three
     * hours in all); three days is a deliberately conservative bound in case the schedule grows.
     */
    @Override
    public Duration retryWindow() {
        return Duration.ofDays(3);
    }
}
