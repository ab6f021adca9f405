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
     * The first create's {@code requestid}: "lh-" and 47 base32 characters of SHA-256(tenant,
     * source, event key, command index, entity type) = 50 characters, QuickBooks' maximum, unique
     * per company. The external-id map keeps it as the row's base id.
     */
    static String requestId(CommandContext context, EntityType type) {
        return "lh-" + base32(sha256(context.tenant() + "\n" + context.source() + "\n" + context.eventKey() + "\n"
                + context.commandIndex() + "\n" + type.apiName()), 47);
    }

    /**
     * QuickBooks answers a repeated requestid with its first answer, refusals included, so one id
     * must name exactly one logical request. A create is one request per generation of the row:
     * generation 0 is the base id itself (what every retry after a crash or a lost answer sends);
     * a permanent refusal moves the row to the next generation, so a replay after the operator
     * fixed the cause is a new request (a refused create made nothing, so a new id cannot double it).
     */
    static String createRequestId(String baseId, long generation) {
        return generation == 0 ? baseId : derived(baseId, "create", Long.toString(generation));
    }

    /**
     * An update is one request per (version, tie-break, SyncToken it was based on, generation): a
     * retry of the same update sends the same id, a retry after a stale SyncToken (5010) is based on
     * the new token and so is a new request, and a retry after a permanent refusal is in a new
     * generation.
     */
    static String updateRequestId(String baseId, long version, long tieBreak, String syncToken, long generation) {
        return derived(baseId, "update", version + "/" + tieBreak + "/" + syncToken + "/" + generation);
    }

    private static String derived(String baseId, String kind, String discriminator) {
        return "lh-" + base32(sha256(baseId + "\n" + kind + "\n" + discriminator), 47);
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
