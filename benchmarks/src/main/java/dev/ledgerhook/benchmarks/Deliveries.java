package dev.ledgerhook.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Signed Stripe deliveries ({@code customer.created}, a new customer each) as Stripe sends them, and
 * the API Gateway HTTP API payload-2.0 event the front would make of one.
 */
final class Deliveries {

    /** One delivery: its event id, body and {@code Stripe-Signature}, signed now. */
    record Delivery(String eventId, String body, String signature) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String secret;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong next = new AtomicLong();

    Deliveries(String secret) {
        this.secret = secret;
    }

    Delivery next() {
        long n = next.incrementAndGet();
        String eventId = "evt_bench_" + run + "_" + n;
        String body = "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":"
                + (System.currentTimeMillis() / 1000) + ",\"type\":\"customer.created\",\"livemode\":false,"
                + "\"data\":{\"object\":{\"id\":\"cus_" + run + "_" + n + "\",\"object\":\"customer\","
                + "\"name\":\"Bench Customer " + run + " " + n + "\",\"email\":\"bench" + n + "@example.com\"}}}";
        return signed(eventId, body);
    }

    /** The same delivery again, as Stripe retries it: same body, a fresh signature. */
    Delivery again(Delivery delivery) {
        return signed(delivery.eventId(), delivery.body());
    }

    private Delivery signed(String eventId, String body) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        return new Delivery(eventId, body, "t=" + timestamp + ",v1=" + hmacHex(timestamp + "." + body));
    }

    private String hmacHex(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP API's payload-2.0 event for {@code POST /webhooks/{tenant}/{source}}. */
    static byte[] apiGatewayEvent(String tenant, String source, Delivery delivery) {
        String path = "/webhooks/" + tenant + "/" + source;
        long now = System.currentTimeMillis();
        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", "POST /webhooks/{tenant}/{source}")
                .put("rawPath", path)
                .put("rawQueryString", "");
        event.putObject("headers")
                .put("content-type", "application/json; charset=utf-8")
                .put("stripe-signature", delivery.signature())
                .put("user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .put("host", "127.0.0.1");
        ObjectNode context = event.putObject("requestContext")
                .put("accountId", "000000000000")
                .put("apiId", "local")
                .put("domainName", "127.0.0.1")
                .put("requestId", UUID.randomUUID().toString())
                .put("routeKey", "POST /webhooks/{tenant}/{source}")
                .put("stage", "$default")
                .put("timeEpoch", now);
        context.putObject("http").put("method", "POST").put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "127.0.0.1").put("userAgent", "Stripe/1.0");
        event.putObject("pathParameters").put("tenant", tenant).put("source", source);
        event.put("body", delivery.body()).put("isBase64Encoded", false);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The status code of a function's API Gateway answer. */
    static int statusOf(byte[] answer) {
        try {
            return JSON.readTree(answer).path("statusCode").asInt(-1);
        } catch (Exception unreadable) {
            return -1;
        }
    }
}
