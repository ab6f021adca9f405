package dev.ledgerhook.accounting.quickbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ledgerhook.accounting.AppliedChange;
import dev.ledgerhook.accounting.CommandContext;
import dev.ledgerhook.accounting.Commands;
import dev.ledgerhook.accounting.EntityType;
import dev.ledgerhook.tracing.DaemonListener;
import dev.ledgerhook.tracing.TraceHeader;
import dev.ledgerhook.tracing.Tracer;

/** Each QuickBooks HTTP request of a traced invocation is one span, named after its operation. */
class QuickBooksSpansTest {

    private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
    private static final String PARENT = "53995c3f42cd8ad8";
    private static final String SAMPLED = "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1";

    private static QuickBooksRig rig;

    @BeforeAll
    static void startRig() {
        rig = new QuickBooksRig();
    }

    @AfterAll
    static void stopRig() {
        rig.close();
    }

    private static QuickBooksAdapter traced(DaemonListener daemon, String header) {
        Tracer tracer = new Tracer(true, () -> TraceHeader.parse(header), daemon::address);
        return rig.adapter(QuickBooksRig.config(rig.simulator.baseUrl()), tracer);
    }

    private static AppliedChange createCustomer(QuickBooksAdapter adapter, String tenant, String customer) throws Exception {
        return adapter.apply(new CommandContext(tenant, "stripe", "evt_" + customer, 0),
                new Commands.UpsertCustomer(customer, 1, "Customer " + customer, Optional.empty()));
    }

    @Test
    void aCreateIsATokenRefreshAndAPostAndAReadIsAGetEachASpan() throws Exception {
        String tenant = rig.newTenant()[0];
        try (DaemonListener daemon = new DaemonListener()) {
            QuickBooksAdapter adapter = traced(daemon, SAMPLED);
            AppliedChange created = createCustomer(adapter, tenant, "cus_traced");
            adapter.read(tenant, EntityType.CUSTOMER, created.accountingId());

            List<JsonNode> spans = daemon.received(1_000);
            List<String> names = spans.stream().map(span -> span.path("name").asText()).toList();
            assertEquals("quickbooks.refresh", names.get(0), names.toString());
            assertEquals(List.of("quickbooks.refresh", "quickbooks.post", "quickbooks.get"), names);
            for (JsonNode span : spans) {
                assertEquals(ROOT, span.path("trace_id").asText());
                assertEquals(PARENT, span.path("parent_id").asText());
                assertEquals("remote", span.path("namespace").asText());
                assertEquals(200, span.path("http").path("response").path("status").asInt(), span.toString());
                assertEquals(200, span.path("annotations").path("status").asInt());
                assertFalse(span.path("http").path("request").path("url").asText().contains("?"), "no query text in a span");
                assertFalse(span.has("fault"));
            }
            JsonNode post = spans.get(1);
            assertEquals("POST", post.path("annotations").path("method").asText());
            assertEquals("Customer", post.path("annotations").path("entity").asText());
            assertEquals(tenant, post.path("annotations").path("tenant").asText());
            assertTrue(post.path("http").path("request").path("url").asText().endsWith("/customer"), post.toString());
            JsonNode get = spans.get(2);
            assertEquals("GET", get.path("annotations").path("method").asText());
            assertEquals("Customer", get.path("annotations").path("entity").asText());
            assertTrue(get.path("http").path("request").path("url").asText().endsWith("/customer/" + created.accountingId()));
        }
    }

    @Test
    void aNameConflictLooksUpTheHolderInAQuerySpanThatShowsNoQueryText() throws Exception {
        String tenant = rig.newTenant()[0];
        try (DaemonListener daemon = new DaemonListener()) {
            QuickBooksAdapter adapter = traced(daemon, SAMPLED);
            createCustomer(adapter, tenant, "cus_first");
            daemon.received(1_000);

            // Another source customer with the same display name: QuickBooks refuses the POST (6240),
            // the adapter queries who holds the name, finds it is not this customer's, and posts again.
            adapter.apply(new CommandContext(tenant, "stripe", "evt_cus_second", 0),
                    new Commands.UpsertCustomer("cus_second", 1, "Customer cus_first", Optional.empty()));

            List<JsonNode> spans = daemon.received(1_000);
            List<String> names = spans.stream().map(span -> span.path("name").asText()).toList();
            assertEquals(List.of("quickbooks.post", "quickbooks.query", "quickbooks.post"), names);
            JsonNode refused = spans.get(0);
            assertEquals(400, refused.path("http").path("response").path("status").asInt(), refused.toString());
            assertTrue(refused.path("error").asBoolean(), refused.toString());
            JsonNode query = spans.get(1);
            assertEquals("GET", query.path("annotations").path("method").asText());
            assertEquals("Customer", query.path("annotations").path("entity").asText());
            assertEquals(200, query.path("annotations").path("status").asInt());
            String url = query.path("http").path("request").path("url").asText();
            assertTrue(url.endsWith("/query"), url);
            assertFalse(query.toString().contains("cus_first"), "the queried name stays out of the span: " + query);
            assertEquals(200, spans.get(2).path("annotations").path("status").asInt());
        }
    }

    @Test
    void aRetriedServerErrorIsAFaultySpanOfItsOwn() throws Exception {
        String[] connected = rig.newTenant();
        try (DaemonListener daemon = new DaemonListener()) {
            QuickBooksAdapter adapter = traced(daemon, SAMPLED);
            sim("PUT", "/sim/faults/" + connected[1], "{\"failNext\":2,\"failNextStatus\":503}");

            createCustomer(adapter, connected[0], "cus_5xx_traced");

            List<JsonNode> spans = daemon.received(1_000);
            List<JsonNode> failed = spans.stream().filter(span -> span.path("http").path("response").path("status").asInt() == 503).toList();
            assertEquals(2, failed.size(), spans.toString());
            failed.forEach(span -> assertTrue(span.path("fault").asBoolean(), span.toString()));
            JsonNode last = spans.get(spans.size() - 1);
            assertEquals(200, last.path("annotations").path("status").asInt());
            assertFalse(last.has("fault"));
        }
    }

    @Test
    void nothingIsSentForAnInvocationNotSampled() throws Exception {
        String tenant = rig.newTenant()[0];
        try (DaemonListener daemon = new DaemonListener()) {
            createCustomer(traced(daemon, SAMPLED.replace("Sampled=1", "Sampled=0")), tenant, "cus_untraced");

            assertEquals(List.of(), daemon.received(500));
        }
    }

    private static void sim(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rig.simulator.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, response.body());
    }
}
