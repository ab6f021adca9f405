package dev.ledgerhook.local.front;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** API Gateway HTTP API payload format 2.0: the request event, and the function's answer read back. */
final class ApiGatewayEvents {

    /** What goes back to the HTTP client. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private ApiGatewayEvents() {
    }

    static byte[] request(HttpExchange exchange, Route route, byte[] body) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", Route.KEY)
                .put("rawPath", route.rawPath())
                .put("rawQueryString", rawQuery(exchange));
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        event.set("requestContext", context(exchange, route));
        event.putObject("pathParameters").put("tenant", route.tenant()).put("source", route.source());
        String text = utf8(body);
        if (text != null) {
            event.put("body", text).put("isBase64Encoded", false);
        } else {
            event.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
        }
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Answer response(byte[] payload) {
        try {
            JsonNode answer = JSON.readTree(payload);
            Map<String, String> headers = new LinkedHashMap<>();
            answer.path("headers").fields().forEachRemaining(field -> headers.put(field.getKey(), field.getValue().asText()));
            answer.path("multiValueHeaders").fields().forEachRemaining(field -> headers.put(field.getKey(),
                    String.join(",", JSON.convertValue(field.getValue(), String[].class))));
            String body = answer.path("body").asText("");
            byte[] bytes = answer.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
            return new Answer(answer.path("statusCode").asInt(200), headers, bytes);
        } catch (Exception unreadable) {
            return new Answer(500, Map.of("Content-Type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static ObjectNode context(HttpExchange exchange, Route route) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String host = exchange.getRequestHeaders().getFirst("Host");
        ObjectNode context = JSON.createObjectNode()
                .put("accountId", "000000000000")
                .put("apiId", "local")
                .put("domainName", host == null ? "127.0.0.1" : host)
                .put("requestId", UUID.randomUUID().toString())
                .put("routeKey", Route.KEY)
                .put("stage", "$default")
                .put("time", REQUEST_TIME.format(now))
                .put("timeEpoch", now.toInstant().toEpochMilli());
        List<String> agents = exchange.getRequestHeaders().getOrDefault("User-Agent", List.of(""));
        context.putObject("http")
                .put("method", exchange.getRequestMethod())
                .put("path", route.rawPath())
                .put("protocol", exchange.getProtocol())
                .put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress())
                .put("userAgent", agents.get(0));
        return context;
    }

    private static String rawQuery(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return query == null ? "" : query;
    }

    /** The body as text when it is valid UTF-8; otherwise null, and it travels base64-encoded. */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
    }
}
