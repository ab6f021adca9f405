package dev.ledgerhook.quickbooks.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The simulator over real HTTP, holding it to the QuickBooks facts the adapter relies on. */
class QuickBooksSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static QuickBooksSimulator simulator;
    private static int realms;

    private String realm;
    private String refreshToken;
    private String accessToken;

    @BeforeAll
    static void start() {
        simulator = QuickBooksSimulator.start(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void newRealm() throws Exception {
        realm = "12345" + (++realms);
        refreshToken = "rt-initial-" + realm;
        simulator.addRealm(realm, "client", "secret", refreshToken);
        accessToken = refresh(refreshToken).path("access_token").asText();
    }

    @Test
    void aCreateReturnsIdAndSyncTokenAndARepeatedRequestIdCreatesNothing() throws Exception {
        JsonNode first = post("customer?requestid=req-1", "{\"DisplayName\":\"Ada\"}");
        JsonNode again = post("customer?requestid=req-1", "{\"DisplayName\":\"Ada\"}");
        assertEquals(200, first.path("status").asInt());
        assertEquals("0", first.path("body").path("Customer").path("SyncToken").asText());
        assertEquals(first.path("body").path("Customer").path("Id"), again.path("body").path("Customer").path("Id"));
        JsonNode stats = stats().path("entities").path("Customer");
        assertEquals(1, stats.path("creates").asInt());
        assertEquals(1, stats.path("duplicateRequestIds").asInt());
    }

    @Test
    void sparseUpdatesBumpTheSyncTokenAndAStaleOneIs5010() throws Exception {
        String id = post("customer?requestid=c", "{\"DisplayName\":\"Bob\"}").path("body").path("Customer").path("Id").asText();
        JsonNode updated = post("customer", "{\"Id\":\"" + id + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Notes\":\"x\"}");
        assertEquals("1", updated.path("body").path("Customer").path("SyncToken").asText());
        assertEquals("Bob", updated.path("body").path("Customer").path("DisplayName").asText());
        JsonNode stale = post("customer", "{\"Id\":\"" + id + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Notes\":\"y\"}");
        assertEquals(400, stale.path("status").asInt());
        assertEquals("5010", code(stale));
        assertEquals("610", code(get("customer/999")));
    }

    @Test
    void validationFaultsCarryQuickBooksCodes() throws Exception {
        post("customer", "{\"DisplayName\":\"Dup\"}");
        assertEquals("6240", code(post("customer", "{\"DisplayName\":\"Dup\"}")));
        assertEquals("2020", code(post("customer", "{}")));
        String line = "\"Line\":[{\"Amount\":5,\"DetailType\":\"SalesItemLineDetail\",\"SalesItemLineDetail\":{\"ItemRef\":{\"value\":\"1\"}}}]";
        assertEquals(200, post("salesreceipt", "{\"DocNumber\":\"LH123\"," + line + "}").path("status").asInt());
        assertEquals("6140", code(post("salesreceipt", "{\"DocNumber\":\"LH123\"," + line + "}")));
        assertEquals("2050", code(post("salesreceipt", "{\"DocNumber\":\"1234567890123456789012\"," + line + "}")));
        assertEquals("2020", code(post("salesreceipt", "{\"DocNumber\":\"X\"}")));
        assertEquals("2500", code(post("invoice", "{\"CustomerRef\":{\"value\":\"77\"}," + line + "}")));
        String unbalanced = "{\"Line\":[{\"Amount\":5,\"JournalEntryLineDetail\":{\"PostingType\":\"Debit\"}},"
                + "{\"Amount\":4,\"JournalEntryLineDetail\":{\"PostingType\":\"Credit\"}}]}";
        assertEquals("6000", code(post("journalentry", unbalanced)));
    }

    @Test
    void queriesFilterAndPage() throws Exception {
        for (int i = 0; i < 5; i++) {
            post("customer", "{\"DisplayName\":\"Q" + i + "\",\"CompanyName\":\"Same\"}");
        }
        JsonNode byName = query("SELECT * FROM Customer WHERE DisplayName = 'Q3'");
        assertEquals(1, byName.path("QueryResponse").path("Customer").size());
        JsonNode page = query("select * from Customer WHERE CompanyName = 'Same' STARTPOSITION 3 MAXRESULTS 2");
        assertEquals(2, page.path("QueryResponse").path("maxResults").asInt());
        assertEquals("Q2", page.path("QueryResponse").path("Customer").path(0).path("DisplayName").asText());
        assertEquals(0, query("SELECT * FROM Customer WHERE DisplayName = 'none'").path("QueryResponse").size());
        assertEquals("4000", code(get("query?query=" + URLEncoder.encode("DELETE FROM Customer", StandardCharsets.UTF_8))));
    }

    @Test
    void tokensRotateAndOnlyValidBearersAreServed() throws Exception {
        String used = refreshToken;
        JsonNode again = refreshRaw(used);
        assertEquals(400, again.path("status").asInt(), "a spent refresh token is refused");
        assertEquals("invalid_grant", again.path("body").path("error").asText());
        accessToken = "nonsense";
        assertEquals(401, get("customer/1").path("status").asInt());
        assertEquals(1, stats().path("tokenRefreshes").asInt());
    }

    @Test
    void rateAndConcurrencyLimitsAnswer429WithRetryAfter() throws Exception {
        control("PUT", "/sim/realms/" + realm + "/limits", "{\"requestsPerMinute\":5}");
        for (int i = 0; i < 5; i++) {
            get("customer/1");
        }
        HttpResponse<String> sixth = send(request(api("customer/1")).GET());
        assertEquals(429, sixth.statusCode());
        assertTrue(Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow()) >= 1);

        control("PUT", "/sim/realms/" + realm + "/limits", "{\"requestsPerMinute\":500,\"maxConcurrent\":2}");
        control("PUT", "/sim/faults/" + realm, "{\"latencyMs\":300}");
        List<CompletableFuture<HttpResponse<String>>> parallel = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parallel.add(HTTP.sendAsync(request(api("customer/1")).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        long throttled = parallel.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429).count();
        assertTrue(throttled >= 1, "4 at once against a limit of 2");
    }

    @Test
    void injectedFaultsFailOrLoseTheAnswerAsConfigured() throws Exception {
        control("PUT", "/sim/faults/" + realm, "{\"failNext\":1,\"failNextStatus\":503,\"dropResponseNext\":1}");
        assertEquals(503, post("customer?requestid=f1", "{\"DisplayName\":\"F\"}").path("status").asInt());
        assertEquals(0, stats().path("entities").path("Customer").path("creates").asInt(), "failNext does nothing");
        assertEquals(502, post("customer?requestid=f1", "{\"DisplayName\":\"F\"}").path("status").asInt());
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt(), "the lost answer was applied");
        assertEquals(200, post("customer?requestid=f1", "{\"DisplayName\":\"F\"}").path("status").asInt());
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt());
    }

    @Test
    void theDemoRealmHasFiveCustomersAndTheSalesItem() throws Exception {
        simulator.seedDemo();
        realm = QuickBooksSimulator.DEMO_REALM;
        accessToken = refresh(QuickBooksSimulator.DEMO_REFRESH_TOKEN, QuickBooksSimulator.DEMO_CLIENT_ID,
                QuickBooksSimulator.DEMO_CLIENT_SECRET).path("access_token").asText();
        assertEquals("Demo Customer 5", get("customer/5").path("body").path("Customer").path("DisplayName").asText());
        assertEquals("Sales", get("item/1").path("body").path("Item").path("Name").asText());
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode refresh(String token) throws Exception {
        return refresh(token, "client", "secret");
    }

    private JsonNode refresh(String token, String client, String secret) throws Exception {
        JsonNode answer = refreshRaw(token, client, secret);
        assertEquals(200, answer.path("status").asInt(), answer.toString());
        return answer.path("body");
    }

    private JsonNode refreshRaw(String token) throws Exception {
        return refreshRaw(token, "client", "secret");
    }

    private JsonNode refreshRaw(String token, String client, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/oauth2/v1/tokens/bearer"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=" + token));
        return wrap(send(request));
    }

    private JsonNode post(String path, String body) throws Exception {
        return wrap(send(request(api(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    private JsonNode get(String path) throws Exception {
        return wrap(send(request(api(path)).GET()));
    }

    private JsonNode query(String query) throws Exception {
        return get("query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).path("body");
    }

    private JsonNode stats() throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/sim/stats/" + realm)).GET()).body());
    }

    private void control(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, response.statusCode(), response.body());
    }

    private URI api(String path) {
        return URI.create(simulator.baseUrl() + "/v3/company/" + realm + "/" + path
                + (path.contains("?") ? "&" : "?") + "minorversion=75");
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + accessToken);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode wrap(HttpResponse<String> response) throws Exception {
        return JSON.createObjectNode().put("status", response.statusCode()).set("body", JSON.readTree(response.body()));
    }

    private static String code(JsonNode answer) {
        return answer.path("body").path("Fault").path("Error").path(0).path("code").asText();
    }
}
