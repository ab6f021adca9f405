package dev.ledgerhook.operator.signing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.ledgerhook.providers.SourceType;

/**
 * Signs a body the way each provider signs its deliveries, for local trials and load drivers.
 * Written from the providers' documentation, apart from the verifiers it is meant to satisfy.
 */
public final class DeliverySigner {

    private DeliverySigner() {
    }

    /**
     * Headers for {@code body} signed with {@code secret} at {@code at}; {@code eventId} is the id
     * for the providers that carry it in a header (Shopify, Standard Webhooks, Finch).
     */
    public static Map<String, String> headers(SourceType type, String secret, String eventId, String topic,
                                              String body, Instant at) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        long t = at.getEpochSecond();
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        switch (type) {
            case STRIPE -> headers.put("Stripe-Signature", "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secretBytes, t + "." + body)));
            case SHOPIFY -> {
                headers.put("X-Shopify-Topic", topic);
                headers.put("X-Shopify-Event-Id", eventId);
                headers.put("X-Shopify-Webhook-Id", "wh-" + eventId);
                headers.put("X-Shopify-Triggered-At", at.toString());
                headers.put("X-Shopify-Shop-Domain", "local-demo.myshopify.com");
                headers.put("X-Shopify-Hmac-Sha256", base64(hmac(secretBytes, body)));
            }
            case QUICKBOOKS -> headers.put("intuit-signature", base64(hmac(secretBytes, body)));
            case XERO -> headers.put("x-xero-signature", base64(hmac(secretBytes, body)));
            case STANDARD -> {
                byte[] key = Base64.getDecoder().decode(secret.substring(secret.indexOf('_') + 1));
                headers.put("webhook-id", eventId);
                headers.put("webhook-timestamp", Long.toString(t));
                headers.put("webhook-signature", "v1," + base64(hmac(key, eventId + "." + t + "." + body)));
            }
            case FINCH -> {
                byte[] key = Base64.getDecoder().decode(secret);
                headers.put("Finch-Event-Id", eventId);
                headers.put("Finch-Timestamp", Long.toString(t));
                headers.put("Finch-Signature", "v1," + base64(hmac(key, eventId + "." + t + "." + body)));
            }
        }
        return headers;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
