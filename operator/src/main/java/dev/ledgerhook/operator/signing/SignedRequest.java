package dev.ledgerhook.operator.signing;

import java.util.LinkedHashMap;
import java.util.Map;

/** A delivery ready to send: the URL, the headers (signature included) and the exact body bytes as text. */
public record SignedRequest(String url, Map<String, String> headers, String body) {

    public SignedRequest {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A copy-paste curl command; single quotes in values are escaped for a POSIX shell. */
    public String curl() {
        StringBuilder command = new StringBuilder("curl -sS -X POST '").append(url).append("'");
        headers.forEach((name, value) -> command.append(" \\\n  -H '").append(quote(name + ": " + value)).append("'"));
        command.append(" \\\n  --data-binary '").append(quote(body)).append("'");
        return command.toString();
    }

    private static String quote(String text) {
        return text.replace("'", "'\\''");
    }
}
