package dev.ledgerhook.providers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Verifies and parses one provider's deliveries. Implementations are stateless and thread-safe. */
public interface WebhookProvider {

    SourceType type();

    /**
     * Proves the delivery came from the provider. Must run before anything is written: a forged
     * request that got as far as claiming an event key could suppress the genuine delivery.
     *
     * @param secrets one or two configured secrets exactly as pasted; during rotation either may match
     * @param now     the receiver's clock, for timestamp tolerance checks
     */
    void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException;

    /** Only called after {@link #verify} succeeded. Never returns null. */
    List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException;

    /** How long the provider keeps retrying one delivery; retention of event keys must be at least this. */
    Duration retryWindow();

    /** True only for Xero: a verified delivery with no events is its intent-to-receive check. */
    default boolean acceptsEmptyDelivery() {
        return false;
    }
}
