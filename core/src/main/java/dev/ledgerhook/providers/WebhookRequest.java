package dev.ledgerhook.providers;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A delivery as received. Header names are compared case-insensitively, as HTTP requires. */
public record WebhookRequest(Map<String, List<String>> headers, byte[] body) {

    public WebhookRequest {
        headers = headers == null ? Map.of() : headers;
        body = body == null ? new byte[0] : body;
    }

    /**
     * The header's value; empty when absent. A header sent more than once, or split into several
     * values on the way (API Gateway's payload joins repeated headers with commas, and HTTP layers
     * split them again), is read as one field whose value is the copies joined with ",", exactly as
     * RFC 9110 section 5.3 defines it. No copy is ever picked over another, so the signature always
     * vouches for the whole value we use; a repeated signature header simply stops verifying.
     */
    public Optional<String> header(String name) throws MalformedDeliveryException {
        StringBuilder joined = null;
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() == null || !entry.getKey().equalsIgnoreCase(name) || entry.getValue() == null) {
                continue;
            }
            for (String value : entry.getValue()) {
                if (value == null) {
                    continue;
                }
                joined = joined == null ? new StringBuilder(value) : joined.append(',').append(value);
            }
        }
        if (joined != null && joined.length() > MAX_HEADER_CHARS) {
            throw new MalformedDeliveryException("header " + name + " is longer than " + MAX_HEADER_CHARS + " characters");
        }
        return Optional.ofNullable(joined).map(StringBuilder::toString);
    }

    private static final int MAX_HEADER_CHARS = 8192;
}
