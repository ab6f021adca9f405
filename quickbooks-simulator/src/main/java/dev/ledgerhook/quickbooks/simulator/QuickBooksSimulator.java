package dev.ledgerhook.quickbooks.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A QuickBooks-Online-compatible HTTP server: {@code /v3/company/{realm}/...} with QuickBooks' JSON
 * shapes and faults, the OAuth token endpoint with refresh-token rotation, per-realm rate limits,
 * and {@code /sim/...} to seed realms, inject faults and read what happened.
 */
public final class QuickBooksSimulator implements AutoCloseable {

    static {
        // TCP_NODELAY for the JDK's HTTP server: without it every answer waits ~40 ms for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final String DEMO_REALM = "9130350000000001";
    public static final String DEMO_CLIENT_ID = "demo-client";
    public static final String DEMO_CLIENT_SECRET = "demo-secret";
    public static final String DEMO_REFRESH_TOKEN = "demo-refresh-token";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Realm> realms = new ConcurrentHashMap<>();

    private QuickBooksSimulator(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on 127.0.0.1; port 0 picks a free one. */
    public static QuickBooksSimulator start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            ExecutorService executor = Executors.newFixedThreadPool(32);
            QuickBooksSimulator simulator = new QuickBooksSimulator(server, executor);
            server.createContext("/", simulator::handle);
            server.setExecutor(executor);
            server.start();
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public void addRealm(String realmId, String clientId, String clientSecret, String refreshToken) {
        realms.put(realmId, new Realm(realmId, clientId, clientSecret, refreshToken));
    }

    /** The local default's company: customers 1 to 5 and the default sales item (Id 1). */
    public void seedDemo() {
        addRealm(DEMO_REALM, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN);
        Realm realm = realms.get(DEMO_REALM);
        synchronized (realm) {
            Entities.create(realm, "Item", SimulatedAnswer.JSON.createObjectNode().put("Name", "Sales").put("Type", "Service"));
            realm.nextId = 1; // ids count per entity type here: the item is Item 1, the customers Customer 1 to 5
            for (int i = 1; i <= 5; i++) {
                Entities.create(realm, "Customer", SimulatedAnswer.JSON.createObjectNode().put("DisplayName", "Demo Customer " + i));
            }
            realm.counts.clear();
        }
    }

    public boolean hasRealm(String realmId) {
        return realms.containsKey(realmId);
    }

    /** Writes every company to {@code file} (entities, requestids, tokens, counters; not faults). */
    public void saveTo(java.nio.file.Path file) {
        RealmSnapshots.save(realms.values(), file);
    }

    /** Replaces the companies with those saved in {@code file}. */
    public void loadFrom(java.nio.file.Path file) {
        Map<String, Realm> loaded = RealmSnapshots.load(file);
        realms.clear();
        realms.putAll(loaded);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        SimulatedAnswer answer;
        try {
            answer = route(exchange);
        } catch (SimulatedAnswer early) {
            answer = early;
        } catch (RuntimeException | IOException e) {
            answer = SimulatedAnswer.fault(500, "SystemFault", "10000", "An application error has occurred", e.toString(), "");
        }
        respond(exchange, answer);
    }

    private SimulatedAnswer route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String[] path = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.length >= 4 && path[0].equals("oauth2") && path[3].equals("bearer")) {
            return method.equals("POST") ? token(exchange, body) : notAllowed();
        }
        if (path.length >= 3 && path[0].equals("v3") && path[1].equals("company")) {
            return api(exchange, method, path, body);
        }
        if (path.length >= 2 && path[0].equals("sim")) {
            return control(method, path, body);
        }
        return SimulatedAnswer.error(404, "not_found");
    }

    // ------------------------------------------------------------------ OAuth

    private SimulatedAnswer token(HttpExchange exchange, byte[] body) {
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        String[] client = basic(exchange.getRequestHeaders().getFirst("Authorization"));
        for (Realm realm : realms.values()) {
            synchronized (realm) {
                if (!realm.clientId.equals(client[0]) || !realm.clientSecret.equals(client[1])) {
                    continue;
                }
                if (!"refresh_token".equals(form.get("grant_type")) || !realm.refreshToken.equals(form.get("refresh_token"))) {
                    continue;
                }
                String access = "at-" + UUID.randomUUID();
                realm.refreshToken = "rt-" + UUID.randomUUID();
                realm.accessTokens.put(access, System.currentTimeMillis() + realm.accessTokenTtlSeconds * 1000);
                realm.tokenRefreshes++;
                return SimulatedAnswer.ok(SimulatedAnswer.JSON.createObjectNode().put("token_type", "bearer")
                        .put("access_token", access).put("expires_in", realm.accessTokenTtlSeconds)
                        .put("refresh_token", realm.refreshToken).put("x_refresh_token_expires_in", 8_726_400));
            }
        }
        boolean knownClient = realms.values().stream().anyMatch(r -> r.clientId.equals(client[0]) && r.clientSecret.equals(client[1]));
        return knownClient ? SimulatedAnswer.error(400, "invalid_grant") : SimulatedAnswer.error(401, "invalid_client");
    }

    // ------------------------------------------------------------------ API

    private SimulatedAnswer api(HttpExchange exchange, String method, String[] path, byte[] body) {
        Realm realm = realms.get(path[2]);
        if (realm == null || !authorized(realm, exchange.getRequestHeaders().getFirst("Authorization"))) {
            return SimulatedAnswer.unauthorized();
        }
        admit(realm);
        try {
            return faultsThenApply(realm, exchange, method, path, body);
        } finally {
            realm.inFlight.decrementAndGet();
        }
    }

    private static boolean authorized(Realm realm, String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        synchronized (realm) {
            Long expires = realm.accessTokens.get(header.substring(7).trim());
            return expires != null && expires > System.currentTimeMillis();
        }
    }

    /** The realm's limits: N per rolling minute, M in flight; beyond, 429 with Retry-After. */
    private static void admit(Realm realm) {
        synchronized (realm) {
            long now = System.currentTimeMillis();
            while (!realm.window.isEmpty() && realm.window.peekFirst() <= now - 60_000) {
                realm.window.pollFirst();
            }
            if (realm.window.size() >= realm.requestsPerMinute) {
                realm.throttled++;
                throw SimulatedAnswer.throttled(Math.max(1, (realm.window.peekFirst() + 60_000 - now + 999) / 1000));
            }
            if (realm.inFlight.incrementAndGet() > realm.maxConcurrent) {
                realm.inFlight.decrementAndGet();
                realm.throttled++;
                throw SimulatedAnswer.throttled(1);
            }
            realm.window.addLast(now);
            realm.requests++;
        }
    }

    private SimulatedAnswer faultsThenApply(Realm realm, HttpExchange exchange, String method, String[] path, byte[] body) {
        Faults faults;
        boolean timeout;
        boolean drop;
        synchronized (realm) {
            faults = realm.faults;
            if (faults.failNext > 0) {
                faults.failNext--;
                realm.faulted++;
                if (faults.failNextStatus == 429) {
                    realm.throttled++;
                    return SimulatedAnswer.throttled(1);
                }
                return SimulatedAnswer.fault(faults.failNextStatus, "SystemFault", "10000", "An application error has occurred", "injected", "");
            }
            double roll = faults.random.nextDouble();
            if (roll < faults.errorRate) {
                realm.faulted++;
                return SimulatedAnswer.fault(503, "SystemFault", "10000", "Service unavailable", "injected", "");
            }
            if (roll < faults.errorRate + faults.throttleRate) {
                realm.throttled++;
                return SimulatedAnswer.throttled(1);
            }
            timeout = roll < faults.errorRate + faults.throttleRate + faults.timeoutRate;
            drop = faults.dropResponseNext > 0;
            if (drop) {
                faults.dropResponseNext--;
            }
        }
        sleep(faults.latencyMs);
        if (timeout) {
            synchronized (realm) {
                realm.faulted++;
            }
            sleep(faults.timeoutMs);
            return SimulatedAnswer.fault(504, "SystemFault", "10000", "Gateway timeout", "injected", "");
        }
        SimulatedAnswer answer = apply(realm, exchange, method, path, body);
        if (drop) {
            synchronized (realm) {
                realm.faulted++;
            }
            return SimulatedAnswer.fault(502, "SystemFault", "10000", "Bad gateway", "injected: applied, response lost", "");
        }
        return answer;
    }

    private SimulatedAnswer apply(Realm realm, HttpExchange exchange, String method, String[] path, byte[] body) {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        synchronized (realm) {
            if (path.length == 4 && path[3].equals("query")) {
                return method.equals("GET") ? SimulatedAnswer.ok(Query.parse(query.get("query")).run(realm)) : notAllowed();
            }
            String entity = path.length >= 4 ? Entities.NAMES.get(path[3]) : null;
            if (entity == null) {
                return SimulatedAnswer.error(404, "not_found");
            }
            if (path.length == 5) {
                return method.equals("GET") ? read(realm, entity, path[4]) : notAllowed();
            }
            return method.equals("POST") ? write(realm, entity, body, query.get("requestid")) : notAllowed();
        }
    }

    private static SimulatedAnswer read(Realm realm, String entity, String id) {
        ObjectNode found = realm.of(entity).get(id);
        if (found == null) {
            throw Entities.notFound(entity, id);
        }
        return SimulatedAnswer.ok(wrap(entity, found.deepCopy()));
    }

    /**
     * Create or sparse update. A repeated requestid answers what the first request with it was
     * answered and changes nothing, errors included: a write refused by a business rule (6000), a
     * validation fault or a stale SyncToken (5010) is refused again under the same requestid,
     * whatever has changed since. Only answers the write itself produced are remembered; injected
     * transport faults (5xx, 429, time-outs) never reach here, as a request QuickBooks did not
     * process has no answer to remember.
     */
    private static SimulatedAnswer write(Realm realm, String entity, byte[] body, String requestId) {
        if (requestId != null && requestId.length() > 50) {
            throw SimulatedAnswer.validation("2010", "Request has invalid or unsupported property",
                    "requestid is longer than 50 characters", "requestid");
        }
        if (requestId != null && realm.requestIds.containsKey(requestId)) {
            realm.counts(entity)[2]++;
            SimulatedAnswer first = realm.requestIds.get(requestId);
            if (first.status != 200) {
                throw first;
            }
            return first;
        }
        SimulatedAnswer answer;
        try {
            answer = SimulatedAnswer.ok(wrap(entity, apply(realm, entity, parse(body))));
        } catch (SimulatedAnswer refused) {
            answer = refused;
        }
        if (requestId != null) {
            realm.requestIds.put(requestId, answer);
        }
        if (answer.status != 200) {
            throw answer;
        }
        return answer;
    }

    private static ObjectNode apply(Realm realm, String entity, ObjectNode json) {
        boolean update = json.has("Id");
        if (realm.faults.rejectNext > 0) {
            realm.faults.rejectNext--;
            throw SimulatedAnswer.validation("6000", "A business validation error has occurred while processing your request",
                    "Business Validation Error: The books are closed for this date", "TxnDate");
        }
        if (update && realm.faults.staleNext > 0) {
            realm.faults.staleNext--;
            Entities.editedByAnotherUser(realm, entity, json.path("Id").asText());
            throw Entities.stale(entity, json.path("Id").asText());
        }
        return update ? Entities.update(realm, entity, json) : Entities.create(realm, entity, json);
    }

    // ------------------------------------------------------------------ control

    private SimulatedAnswer control(String method, String[] path, byte[] body) {
        String what = path[1];
        String realmId = path.length > 2 ? path[2] : null;
        if (what.equals("reset") && method.equals("POST")) {
            realms.clear();
            return SimulatedAnswer.json(200, SimulatedAnswer.JSON.createObjectNode().put("reset", true));
        }
        if (what.equals("stats") && method.equals("GET")) {
            return stats(realmId);
        }
        if (what.equals("realms")) {
            return realmControl(method, path, realmId, parse(body));
        }
        if (what.equals("faults") && realmId != null) {
            return faultControl(method, realm(realmId), parse(body));
        }
        if (what.equals("entities") && path.length == 4 && method.equals("GET")) {
            return entities(realm(realmId), path[3]);
        }
        return SimulatedAnswer.error(404, "not_found");
    }

    private SimulatedAnswer realmControl(String method, String[] path, String realmId, ObjectNode json) {
        if (method.equals("POST") && realmId == null) {
            addRealm(json.path("realmId").asText(), json.path("clientId").asText(), json.path("clientSecret").asText(),
                    json.path("refreshToken").asText());
            limits(realm(json.path("realmId").asText()), json);
            return SimulatedAnswer.json(201, json);
        }
        if (method.equals("PUT") && path.length == 4 && path[3].equals("limits")) {
            limits(realm(realmId), json);
            return SimulatedAnswer.json(200, json);
        }
        if (method.equals("POST") && path.length == 4 && path[3].equals("forget-requestids")) {
            // QuickBooks remembers a requestid for a limited time only; this is that time passing
            Realm realm = realm(realmId);
            synchronized (realm) {
                int forgotten = realm.requestIds.size();
                realm.requestIds.clear();
                return SimulatedAnswer.json(200, SimulatedAnswer.JSON.createObjectNode().put("forgotten", forgotten));
            }
        }
        if (method.equals("DELETE") && realmId != null) {
            realms.remove(realmId);
            return SimulatedAnswer.json(200, SimulatedAnswer.JSON.createObjectNode().put("deleted", realmId));
        }
        return notAllowed();
    }

    private static void limits(Realm realm, JsonNode json) {
        synchronized (realm) {
            realm.requestsPerMinute = json.path("requestsPerMinute").asInt(realm.requestsPerMinute);
            realm.maxConcurrent = json.path("maxConcurrent").asInt(realm.maxConcurrent);
            realm.accessTokenTtlSeconds = json.path("accessTokenTtlSeconds").asLong(realm.accessTokenTtlSeconds);
        }
    }

    private static SimulatedAnswer faultControl(String method, Realm realm, ObjectNode json) {
        synchronized (realm) {
            switch (method) {
                case "PUT" -> realm.faults = Faults.from(json);
                case "DELETE" -> realm.faults = new Faults();
                case "GET" -> { }
                default -> { return notAllowed(); }
            }
            return SimulatedAnswer.json(200, realm.faults.toJson());
        }
    }

    /** Every entity of one type, as stored, without OAuth: for tests that count effects. */
    private static SimulatedAnswer entities(Realm realm, String entity) {
        synchronized (realm) {
            ObjectNode answer = SimulatedAnswer.JSON.createObjectNode();
            var list = answer.putArray(entity);
            realm.of(entity).values().forEach(list::add);
            return SimulatedAnswer.json(200, answer);
        }
    }

    private SimulatedAnswer stats(String realmId) {
        if (realmId != null) {
            Realm realm = realm(realmId);
            synchronized (realm) {
                return SimulatedAnswer.json(200, realm.stats());
            }
        }
        ObjectNode all = SimulatedAnswer.JSON.createObjectNode();
        ObjectNode byRealm = all.putObject("realms");
        for (Realm realm : realms.values()) {
            synchronized (realm) {
                byRealm.set(realm.id, realm.stats());
            }
        }
        return SimulatedAnswer.json(200, all);
    }

    private Realm realm(String realmId) {
        Realm realm = realms.get(realmId);
        if (realm == null) {
            throw SimulatedAnswer.error(404, "unknown realm " + realmId);
        }
        return realm;
    }

    // ------------------------------------------------------------------ plumbing

    private static ObjectNode wrap(String entity, ObjectNode value) {
        ObjectNode response = SimulatedAnswer.JSON.createObjectNode();
        response.set(entity, value);
        response.put("time", java.time.Instant.now().toString());
        return response;
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return SimulatedAnswer.JSON.createObjectNode();
        }
        try {
            JsonNode json = SimulatedAnswer.JSON.readTree(body);
            if (json instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // fall through
        }
        throw SimulatedAnswer.validation("2010", "Request has invalid or unsupported property", "body is not a JSON object", "");
    }

    private static Map<String, String> form(String text) {
        Map<String, String> values = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return values;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String[] basic(String header) {
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length()).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (RuntimeException e) {
            return new String[] {"", ""};
        }
    }

    private static SimulatedAnswer notAllowed() {
        return SimulatedAnswer.error(405, "method_not_allowed");
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, SimulatedAnswer answer) {
        try (exchange) {
            byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
