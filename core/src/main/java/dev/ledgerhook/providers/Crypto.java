package dev.ledgerhook.providers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The few primitives every provider needs. */
final class Crypto {

    private Crypto() {}

    static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Constant-time for inputs of equal length, so the time taken does not tell an attacker how
     * many leading bytes of a forged signature were right. (A length difference is not secret.)
     */
    static boolean constantTimeEquals(byte[] expected, byte[] provided) {
        return MessageDigest.isEqual(expected, provided);
    }

    /** Lower-case hex SHA-256 of the fields joined with '\n': the event key where a provider has no id. */
    static String sha256Hex(String... fields) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", fields).getBytes(StandardCharsets.UTF_8));
            return hex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The signed content: a text prefix followed by the raw body bytes, never a re-encoded body. */
    static byte[] concat(byte[] head, byte[] tail) {
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Standard base64 with padding; null for anything else, so garbage is a mismatch, not an exception. */
    static byte[] base64OrNull(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The configured secrets as HMAC keys (their UTF-8 bytes). Surrounding whitespace from pasting is
     * dropped; empty secrets are skipped because an empty HMAC key would match a forger's signature.
     */
    static List<byte[]> utf8Keys(List<String> secrets) throws SignatureException {
        List<byte[]> keys = new ArrayList<>();
        if (secrets != null) {
            for (String secret : secrets) {
                if (secret != null && !secret.isBlank()) {
                    keys.add(secret.strip().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        if (keys.isEmpty()) {
            throw new SignatureException("no signing secret is configured for this source");
        }
        return keys;
    }

    /** True when any of the provided signatures equals the HMAC of data under any key. */
    static boolean anyMatches(List<byte[]> keys, byte[] data, List<byte[]> provided) {
        boolean matched = false;
        for (byte[] key : keys) {
            byte[] expected = hmacSha256(key, data);
            for (byte[] signature : provided) {
                // no early exit: the work done does not depend on which secret matched
                matched |= constantTimeEquals(expected, signature);
            }
        }
        return matched;
    }
}
