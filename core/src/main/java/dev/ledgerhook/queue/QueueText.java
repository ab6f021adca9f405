package dev.ledgerhook.queue;

/**
 * The characters an SQS message body and string attribute may hold: #x9 | #xA | #xD |
 * #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. SQS refuses a message with any other (U+FFFE,
 * U+FFFF, control characters, lone surrogates, which have no UTF-8 form at all), and a refused
 * send would answer the provider 503 on every retry of a delivery that can never succeed.
 */
public final class QueueText {

    private QueueText() {
    }

    public static boolean isCarriable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: U+10000 and up
            } else if (!isCarriable(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The JSON text with every character SQS cannot carry written as a {@code \}{@code uXXXX} escape.
     * In valid JSON such characters only occur inside strings (outside them only ASCII is allowed),
     * where the escape means exactly the same character: the JSON value is unchanged.
     */
    public static String escapeJson(String json) {
        StringBuilder escaped = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                if (escaped != null) {
                    escaped.append(c).append(json.charAt(i + 1));
                }
                i++;
            } else if (isCarriable(c)) {
                if (escaped != null) {
                    escaped.append(c);
                }
            } else {
                if (escaped == null) {
                    escaped = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                escaped.append(String.format("\\u%04x", (int) c));
            }
        }
        return escaped == null ? json : escaped.toString();
    }

    /** One UTF-16 unit outside a surrogate pair. */
    private static boolean isCarriable(char c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD);
    }
}
