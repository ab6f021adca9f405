package dev.ledgerhook.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Standard Webhooks scheme (also Svix's, and Finch's under its own header names): headers
 * {id, timestamp, signature}; signature = "v1,base64(HMAC-SHA256(id + "." + timestamp + "." + body))",
 * several space-separated while the sender rotates secrets; the HMAC key is the base64-decoded secret.
 * The id and timestamp are signed, so neither the event key nor the version can be forged.
 */
final class StandardWebhooksScheme {

    /** The specification's tolerance, both ways: bounds replay of a captured request. */
    static final long TOLERANCE_SECONDS = 300;
    private static final String SECRET_PREFIX = "whsec_";

    private final String idHeader;
    private final String timestampHeader;
    private final String signatureHeader;
    private final boolean secretMayHavePrefix;
    private final String typeField;

    /**
     * @param secretMayHavePrefix true when the secret is shown as "whsec_" + base64 (Standard
     *                            Webhooks); false when it is plain base64 (Finch)
     * @param typeField           the body field holding the event type
     */
    StandardWebhooksScheme(String idHeader, String timestampHeader, String signatureHeader,
                           boolean secretMayHavePrefix, String typeField) {
        this.idHeader = idHeader;
        this.timestampHeader = timestampHeader;
        this.signatureHeader = signatureHeader;
        this.secretMayHavePrefix = secretMayHavePrefix;
        this.typeField = typeField;
    }

    void verify(WebhookRequest request, List<String> secrets, Instant now) throws SignatureException {
        String id = Deliveries.requiredSignedHeader(request, idHeader);
        String timestamp = Deliveries.requiredSignedHeader(request, timestampHeader);
        String header = Deliveries.requiredSignedHeader(request, signatureHeader);
        List<byte[]> keys = keys(secrets);
        Optional<Long> seconds = Deliveries.unixSeconds(timestamp);
        if (seconds.isEmpty()) {
            throw new SignatureException(timestampHeader + " header is not a unix timestamp");
        }
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : header.split(" ")) {
            if (entry.startsWith("v1,")) {
                byte[] decoded = Crypto.base64OrNull(entry.substring(3));
                if (decoded != null) {
                    signatures.add(decoded);
                }
            }
        }
        if (signatures.isEmpty()) {
            throw new SignatureException(signatureHeader + " header has no well-formed v1 signature");
        }
        byte[] signed = Crypto.concat(
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), request.body());
        if (!Crypto.anyMatches(keys, signed, signatures)) {
            throw new SignatureException("no matching v1 signature in " + signatureHeader + " header");
        }
        if (!Deliveries.withinTolerance(seconds.get(), now, TOLERANCE_SECONDS)) {
            throw new SignatureException(timestampHeader + " outside tolerance of " + TOLERANCE_SECONDS + " s");
        }
    }

    List<ProviderEvent> parse(WebhookRequest request) throws MalformedDeliveryException {
        String id = Deliveries.requiredHeader(request, idHeader);
        Optional<Long> seconds = Deliveries.unixSeconds(Deliveries.requiredHeader(request, timestampHeader));
        if (seconds.isEmpty()) {
            throw new MalformedDeliveryException(timestampHeader + " header is not a unix timestamp");
        }
        String body = Deliveries.utf8(request.body());
        JsonNode json = Deliveries.jsonObject(body);
        return List.of(Deliveries.event(
                id, Deliveries.text(json, typeField, "body"), Deliveries.epochSecondsToMillis(seconds.get()), body));
    }

    /** Secrets are base64 key bytes; one that does not decode is skipped (a configuration error, reported only if none is usable). */
    private List<byte[]> keys(List<String> secrets) throws SignatureException {
        List<byte[]> keys = new ArrayList<>();
        if (secrets != null) {
            for (String secret : secrets) {
                if (secret == null) {
                    continue;
                }
                String encoded = secret.strip();
                if (secretMayHavePrefix && encoded.startsWith(SECRET_PREFIX)) {
                    encoded = encoded.substring(SECRET_PREFIX.length());
                }
                byte[] key = encoded.isEmpty() ? null : Crypto.base64OrNull(encoded);
                if (key != null && key.length > 0) {
                    keys.add(key);
                }
            }
        }
        if (keys.isEmpty()) {
            throw new SignatureException("no usable signing secret is configured for this source (expected base64)");
        }
        return keys;
    }
}
