package dev.ledgerhook.providers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds deliveries for tests. Signs with javax.crypto directly, not with the code under test. */
final class Fixtures {

    private Fixtures() {}

    static WebhookRequest request(String body, String... headerNamesAndValues) {
        return request(body.getBytes(StandardCharsets.UTF_8), headerNamesAndValues);
    }

    static WebhookRequest request(byte[] body, String... headerNamesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerNamesAndValues.length; i += 2) {
            headers.computeIfAbsent(headerNamesAndValues[i], k -> new ArrayList<>()).add(headerNamesAndValues[i + 1]);
        }
        return new WebhookRequest(headers, body);
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String hmacBase64(String key, String data) {
        return Base64.getEncoder().encodeToString(hmac(key.getBytes(StandardCharsets.UTF_8), data));
    }

    static String hmacBase64(byte[] key, String data) {
        return Base64.getEncoder().encodeToString(hmac(key, data));
    }

    static String hmacHex(String key, String data) {
        return HexFormat.of().formatHex(hmac(key.getBytes(StandardCharsets.UTF_8), data));
    }
}
