package dev.ledgerhook.accounting.quickbooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import dev.ledgerhook.accounting.CommandContext;
import dev.ledgerhook.accounting.EntityType;

/**
 * Deterministic identifiers QuickBooks needs. Both are hashes, so they fit QuickBooks' limits
 * whatever the source ids look like, and the same input always gives the same value.
 */
final class QuickBooksIds {

    /** Base32 without padding, lower-case: URL- and DocNumber-safe. */
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private QuickBooksIds() {
    }

    /**
     * The create's {@code requestid}: "lh-" and 47 base32 characters of SHA-256(tenant, event key,
     * command index, entity type) = 50 characters, QuickBooks' maximum, unique per company.
     */
    static String requestId(CommandContext context, EntityType type) {
        return "lh-" + base32(sha256(context.tenant() + "\n" + context.eventKey() + "\n" + context.commandIndex()
                + "\n" + type.apiName()), 47);
    }

    /**
     * A DocNumber for a source object: "LH" and 19 base32 characters of SHA-256(type, source id),
     * 21 characters, QuickBooks' maximum. A Stripe id ({@code ch_3Nk...}, 27 characters) does not fit
     * as is; the external-id map keeps the full id. {@code attempt} > 0 gives the variants used when
     * another entity already holds the number (6140).
     */
    static String docNumber(EntityType type, String sourceObjectId, int attempt) {
        String base = "LH" + base32(sha256(type.apiName() + "\n" + sourceObjectId), 19).toUpperCase(Locale.ROOT);
        if (attempt == 0) {
            return base;
        }
        String suffix = "-" + attempt;
        return base.substring(0, 21 - suffix.length()) + suffix;
    }

    /** The marker written into an entity's note, so a later attempt recognises the entity as its own. */
    static String marker(EntityType type, String sourceObjectId) {
        return "[ledgerhook " + type.apiName() + " " + sourceObjectId + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < length) {
                out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}
