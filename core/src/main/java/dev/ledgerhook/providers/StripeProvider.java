package dev.ledgerhook.providers;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stripe: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]...}, where v1 is
 * hex(HMAC-SHA256(t + "." + body)) keyed with the whole "whsec_..." string. Stripe sends one v1 per
 * active endpoint secret while it rolls a secret, so any v1 matching any configured secret passes.
 */
@ApplicationScoped
public class StripeProvider implements WebhookProvider {

    static final String SIGNATURE_HEADER = "Stripe-Signature";
    /** Stripe's own libraries' default; the signed timestamp bounds how long a captured request can be replayed. */
    static final long TOLERANCE_SECONDS = 300;

    public StripeProvider() {}

    @Override
    public SourceType type() {
        return SourceType.STRIPE;
    }

    @Override
    public void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException {
        String header = Deliveries.requiredSignedHeader(request, SIGNATURE_HEADER);
        List<byte[]> keys = Crypto.utf8Keys(secrets);
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                // not Stripe's format; most likely a second copy of the header joined to the first
                throw new SignatureException(SIGNATURE_HEADER + " header is not a list of key=value pairs");
            }
            String name = item.substring(0, eq).strip();
            String value = item.substring(eq + 1).strip();
            if (name.equals("t")) {
                if (timestamp != null) {
                    throw new SignatureException(SIGNATURE_HEADER + " header has more than one timestamp");
                }
                timestamp = value;
            } else if (name.equals("v1")) {
                signatures.add(value.getBytes(StandardCharsets.UTF_8));
            }
        }
        Optional<Long> seconds = Deliveries.unixSeconds(timestamp);
        if (seconds.isEmpty()) {
            throw new SignatureException(SIGNATURE_HEADER + " header has no valid t= timestamp");
        }
        if (signatures.isEmpty()) {
            throw new SignatureException(SIGNATURE_HEADER + " header has no v1 signature");
        }
        byte[] signed = Crypto.concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), request.body());
        boolean matched = false;
        for (byte[] key : keys) {
            // compare hex text to hex text: Stripe sends lower-case hex
            byte[] expected = Crypto.hex(Crypto.hmacSha256(key, signed)).getBytes(StandardCharsets.UTF_8);
            for (byte[] signature : signatures) {
                matched |= Crypto.constantTimeEquals(expected, signature);
            }
        }
        if (!matched) {
            throw new SignatureException("no matching v1 signature in " + SIGNATURE_HEADER + " header");
        }
        // checked after the signature so that this message only ever describes a genuine, late request
        if (!Deliveries.withinTolerance(seconds.get(), now, TOLERANCE_SECONDS)) {
            throw new SignatureException(SIGNATURE_HEADER + " timestamp outside tolerance of " + TOLERANCE_SECONDS + " s");
        }
    }

    @Override
    public List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException {
        String body = Deliveries.utf8(request.body());
        JsonNode event = Deliveries.jsonObject(body);
        JsonNode created = Deliveries.field(event, "created", "event");
        if (!created.isIntegralNumber() || !created.canConvertToLong()) {
            throw new MalformedDeliveryException("field created in event is not an integer");
        }
        return List.of(Deliveries.event(
                Deliveries.text(event, "id", "event"),
                Deliveries.text(event, "type", "event"),
                Deliveries.epochSecondsToMillis(created.longValue()),
                body));
    }

    /** Stripe retries live-mode deliveries with exponential back-off for up to three days. */
    @Override
    public Duration retryWindow() {
        return Duration.ofDays(3);
    }
}
