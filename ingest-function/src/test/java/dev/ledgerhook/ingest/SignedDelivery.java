package dev.ledgerhook.ingest;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.restassured.response.ValidatableResponse;

/**
 * Builds deliveries the way each provider signs them, independently of the production verifiers
 * (which are held to published known-answer vectors in core's tests), and posts them.
 */
final class SignedDelivery {

    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;
    String contentType = "application/json";

    private SignedDelivery(String body) {
        this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    static SignedDelivery stripe(String secret, String body, Instant at) {
        SignedDelivery delivery = new SignedDelivery(body);
        long t = at.getEpochSecond();
        String signature = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), t + "." + body));
        delivery.headers.put("Stripe-Signature", "t=" + t + ",v1=" + signature);
        return delivery;
    }

    static SignedDelivery shopify(String secret, String eventId, String topic, String body, Instant triggeredAt) {
        SignedDelivery delivery = new SignedDelivery(body);
        delivery.headers.put("X-Shopify-Hmac-Sha256", base64(hmac(secret.getBytes(StandardCharsets.UTF_8), body)));
        delivery.headers.put("X-Shopify-Event-Id", eventId);
        delivery.headers.put("X-Shopify-Webhook-Id", "wh-" + eventId);
        delivery.headers.put("X-Shopify-Topic", topic);
        delivery.headers.put("X-Shopify-Triggered-At", triggeredAt.toString());
        return delivery;
    }

    static SignedDelivery quickbooks(String verifierToken, String body) {
        SignedDelivery delivery = new SignedDelivery(body);
        delivery.headers.put("intuit-signature", base64(hmac(verifierToken.getBytes(StandardCharsets.UTF_8), body)));
        return delivery;
    }

    static SignedDelivery xero(String webhookKey, String body) {
        SignedDelivery delivery = new SignedDelivery(body);
        delivery.headers.put("x-xero-signature", base64(hmac(webhookKey.getBytes(StandardCharsets.UTF_8), body)));
        return delivery;
    }

    /** Standard Webhooks: secret {@code whsec_<base64 key>}. */
    static SignedDelivery standard(String secret, String id, String body, Instant at) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        return schemeOfStandardWebhooks("webhook-", key, id, body, at);
    }

    /** Finch: the same scheme, headers {@code Finch-*}, secret plain base64. */
    static SignedDelivery finch(String secret, String id, String body, Instant at) {
        return schemeOfStandardWebhooks("Finch-", Base64.getDecoder().decode(secret), id, body, at);
    }

    private static SignedDelivery schemeOfStandardWebhooks(String prefix, byte[] key, String id, String body, Instant at) {
        SignedDelivery delivery = new SignedDelivery(body);
        long t = at.getEpochSecond();
        delivery.headers.put(prefix + ("webhook-".equals(prefix) ? "id" : "Event-Id"), id);
        delivery.headers.put(prefix + ("webhook-".equals(prefix) ? "timestamp" : "Timestamp"), Long.toString(t));
        delivery.headers.put(prefix + ("webhook-".equals(prefix) ? "signature" : "Signature"),
                "v1," + base64(hmac(key, id + "." + t + "." + body)));
        return delivery;
    }

    SignedDelivery header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    SignedDelivery withoutHeader(String name) {
        headers.remove(name);
        return this;
    }

    SignedDelivery body(byte[] newBody) {
        this.body = newBody;
        return this;
    }

    SignedDelivery contentType(String type) {
        this.contentType = type;
        return this;
    }

    ValidatableResponse post(String tenant, String source) {
        var request = given().headers(headers).body(body);
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        return request.when().post("/webhooks/{tenant}/{source}", tenant, source).then();
    }

    /** Posts to a path as written, percent-escapes and all (no encoding, no normalisation by the client). */
    ValidatableResponse postTo(String rawPath) {
        return send("POST", rawPath);
    }

    ValidatableResponse send(String method, String rawPath) {
        var request = given().urlEncodingEnabled(false).headers(headers).body(body);
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        return request.when().request(method, rawPath).then();
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
