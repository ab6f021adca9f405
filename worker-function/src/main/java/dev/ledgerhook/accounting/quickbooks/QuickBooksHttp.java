package dev.ledgerhook.accounting.quickbooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ledgerhook.accounting.AccountingException;
import dev.ledgerhook.connections.OAuthTokens;
import dev.ledgerhook.connections.QuickBooksConnection;
import dev.ledgerhook.outcomes.OutcomeLog;
import dev.ledgerhook.tracing.Tracer;

/**
 * QuickBooks Online API v3 over HTTP: one call, with the realm limiter around it, a refresh and one
 * retry on 401, and in-process retries of 429 after its Retry-After (bounded). Everything else is
 * turned into an {@link AccountingException} for the adapter to decide on. Each 429 writes an
 * outcome line {@code quickbooks_throttled} (tenant, realm, Retry-After): the dashboard counts them
 * per tenant. Each HTTP request, retries included, is one span {@code quickbooks.<operation>} when
 * the invocation is traced.
 */
@ApplicationScoped
public class QuickBooksHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final QuickBooksConfig config;
    private final RealmLimiter limiter;
    private final AccessTokens tokens;
    private final OutcomeLog outcomes;
    private final Tracer tracer;
    private final HttpClient http;

    public QuickBooksHttp(QuickBooksConfig config, RealmLimiter limiter, AccessTokens tokens, OutcomeLog outcomes,
                          Tracer tracer) {
        this.config = config;
        this.limiter = limiter;
        this.tokens = tokens;
        this.outcomes = outcomes;
        this.tracer = tracer;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    /** POST {@code /v3/company/{realm}/{entity}?requestid=...}: a create, or a sparse update. */
    public ObjectNode post(QuickBooksConnection connection, String entity, ObjectNode body, String requestId)
            throws AccountingException {
        String path = "/" + entity.toLowerCase(Locale.ROOT) + "?requestid=" + encode(requestId) + "&";
        return call(connection, new Operation("post", entity), path, body);
    }

    /** GET {@code /v3/company/{realm}/{entity}/{id}}. */
    public ObjectNode get(QuickBooksConnection connection, String entity, String id) throws AccountingException {
        return call(connection, new Operation("get", entity), "/" + entity.toLowerCase(Locale.ROOT) + "/" + encode(id) + "?", null);
    }

    /** GET {@code /v3/company/{realm}/query?query=...}. */
    public ObjectNode query(QuickBooksConnection connection, String query) throws AccountingException {
        return call(connection, new Operation("query", Operation.queried(query)), "/query?query=" + encode(query) + "&", null);
    }

    /**
     * What a request is for: its span is {@code quickbooks.<name>} (post, get, query; refresh for the
     * token endpoint), annotated with the HTTP method, the entity (where known) and the status.
     */
    private record Operation(String name, String entity) {

        private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+(\\w+)");

        static String queried(String query) {
            Matcher from = FROM.matcher(query);
            return from.find() ? from.group(1) : null;
        }

        Map<String, Object> annotations(String method, String tenant) {
            Map<String, Object> annotations = new LinkedHashMap<>();
            annotations.put("method", method);
            if (entity != null) {
                annotations.put("entity", entity);
            }
            if (tenant != null) {
                annotations.put("tenant", tenant);
            }
            return annotations;
        }
    }

    private ObjectNode call(QuickBooksConnection connection, Operation operation, String pathAndQuery, ObjectNode body)
            throws AccountingException {
        URI uri = URI.create(config.baseUrl() + "/v3/company/" + connection.realmId() + pathAndQuery
                + "minorversion=" + config.minorVersion());
        boolean refreshed = false;
        int throttled = 0;
        int serverErrors = 0;
        while (true) {
            String accessToken = tokens.accessToken(connection.tenant());
            HttpResponse<String> response = send(connection, operation, uri, body, accessToken);
            if (response.statusCode() == 200) {
                return parse(response.body());
            }
            if (response.statusCode() == 401 && !refreshed) {
                tokens.rejected(connection.tenant(), accessToken);
                refreshed = true;
                continue;
            }
            AccountingException fault = fault(response);
            // Every call is idempotent (reads, and posts carrying a requestid), so a 5xx may be repeated.
            if (response.statusCode() >= 500 && serverErrors++ < config.serverErrorRetries()) {
                backOff(serverErrors);
                continue;
            }
            if (response.statusCode() == 429) {
                Duration wait = fault.retryAfter().orElse(Duration.ofSeconds(1));
                limiter.pause(connection.realmId(), wait);
                outcomes.record("worker", "quickbooks_throttled", 0, Map.of("tenant", connection.tenant(),
                        "realm", connection.realmId(), "retryAfterMs", wait.toMillis()));
                if (throttled++ < config.throttleRetries() && wait.compareTo(config.maxRetryAfter()) <= 0) {
                    continue;
                }
            }
            throw fault;
        }
    }

    /** Exponential back-off with full jitter: a random wait up to 100 ms x 2^attempt. */
    private static void backOff(int attempt) {
        long ceiling = 100L << Math.min(attempt, 6);
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> send(QuickBooksConnection connection, Operation operation, URI uri, ObjectNode body,
                                      String accessToken) throws AccountingException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json");
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        // acquire returns holding a slot and throws holding none, so the slot to give back is
        // exactly the one taken here: released in the finally whatever the call does.
        String realmId = connection.realmId();
        limiter.acquire(realmId, config.maxRetryAfter());
        try {
            HttpRequest built = request.build();
            return exchange(operation.name(), operation.annotations(built.method(), connection.tenant()), built,
                    "call to QuickBooks");
        } finally {
            limiter.release(realmId);
        }
    }

    /** One HTTP exchange, in its span; transport failures become transient {@link AccountingException}s. */
    private HttpResponse<String> exchange(String operation, Map<String, Object> annotations, HttpRequest request,
                                          String what) throws AccountingException {
        return tracer.trace("quickbooks." + operation, annotations, span -> {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                span.annotate("status", response.statusCode())
                        .http(request.method(), withoutQuery(request.uri()), response.statusCode());
                return response;
            } catch (IOException e) {
                throw QuickBooksFault.io(what + " failed", e);
            } catch (UncheckedIOException e) {
                // The JDK client sometimes reports a pooled connection closed under it this way
                // (ClosedChannelException); it is the same transient I/O failure as above.
                throw QuickBooksFault.io(what + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw QuickBooksFault.io(what + " interrupted", e);
            }
        });
    }

    /** The URL without its query (query text, request ids): what a span shows of it. */
    private static String withoutQuery(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    /** Calls the token endpoint with the refresh token; a refused grant is permanent (the tenant must reconnect). */
    OAuthTokens refresh(String clientId, String clientSecret, String refreshToken) throws AccountingException {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.tokenUrl()))
                .timeout(config.requestTimeout())
                .header("Authorization", "Basic " + basic)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=" + encode(refreshToken)))
                .build();
        HttpResponse<String> response = exchange("refresh", new Operation("refresh", null).annotations("POST", null),
                request, "token refresh");
        JsonNode json = parse(response.body());
        if (response.statusCode() != 200) {
            String error = json.path("error").asText("http_" + response.statusCode());
            boolean transientFailure = response.statusCode() >= 500 || response.statusCode() == 429;
            throw new AccountingException(transientFailure, response.statusCode(), "LH-OAUTH-" + error,
                    "QuickBooks token refresh refused: " + error, Optional.empty());
        }
        return new OAuthTokens(json.path("access_token").asText(), json.path("refresh_token").asText(),
                Duration.ofSeconds(json.path("expires_in").asLong(3600)));
    }

    private static AccountingException fault(HttpResponse<String> response) {
        JsonNode json = parse(response.body());
        JsonNode fault = json.has("Fault") ? json.path("Fault") : json.path("fault");
        JsonNode error = fault.has("Error") ? fault.path("Error").path(0) : fault.path("error").path(0);
        String code = error.path("code").asText("HTTP-" + response.statusCode());
        String message = error.path("Message").asText(error.path("message").asText("HTTP " + response.statusCode()));
        String detail = error.path("Detail").asText(error.path("detail").asText(""));
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After").flatMap(QuickBooksHttp::seconds);
        return QuickBooksFault.fromResponse(response.statusCode(), code, detail.isEmpty() ? message : message + ": " + detail,
                retryAfter);
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            return node instanceof ObjectNode object ? object : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
