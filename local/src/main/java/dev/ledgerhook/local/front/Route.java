package dev.ledgerhook.local.front;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The template's one route, {@code POST /webhooks/{tenant}/{source}}, matched as API Gateway
 * matches it: on the raw path, one segment per parameter, parameters URL-decoded.
 */
record Route(String rawPath, String tenant, String source) {

    static final String KEY = "POST /webhooks/{tenant}/{source}";

    static Route match(String method, String rawPath) {
        if (!"POST".equals(method) || rawPath == null) {
            return null;
        }
        String[] segments = rawPath.split("/", -1);
        if (segments.length != 4 || !segments[0].isEmpty() || !"webhooks".equals(segments[1])
                || segments[2].isEmpty() || segments[3].isEmpty()) {
            return null;
        }
        return new Route(rawPath, decode(segments[2]), decode(segments[3]));
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return segment;
        }
    }
}
