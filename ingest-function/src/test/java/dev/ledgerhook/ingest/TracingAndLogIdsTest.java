package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.ledger.EventLedger;
import dev.ledgerhook.outcomes.OutcomeLog;
import dev.ledgerhook.providers.WebhookProviders;
import dev.ledgerhook.providers.WebhookRequest;
import dev.ledgerhook.queue.EventQueue;
import dev.ledgerhook.secrets.SecretResolver;
import dev.ledgerhook.teststack.TestStackResource;
import dev.ledgerhook.tenants.TenantDirectory;
import dev.ledgerhook.tracing.DaemonListener;
import dev.ledgerhook.tracing.TraceHeader;
import dev.ledgerhook.tracing.Tracer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A traced delivery sends its {@code claim} and {@code send} spans to the X-Ray daemon, attached
 * to the invocation's segment; every outcome line carries the Lambda request id.
 */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class TracingAndLogIdsTest {

    private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
    private static final String PARENT = "53995c3f42cd8ad8";

    @Inject
    IngestFixture fixture;
    @Inject
    TenantDirectory tenants;
    @Inject
    SecretResolver secrets;
    @Inject
    WebhookProviders providers;
    @Inject
    EventLedger ledger;
    @Inject
    EventQueue queue;
    @Inject
    IngestConfig config;
    @Inject
    OutcomeLog outcomes;
    @Inject
    CallPool calls;

    /** The ingest's own beans, with a tracer that is on and sees a sampled trace header. */
    private DeliveryIntake tracedIntake(DaemonListener daemon, String header) {
        Tracer tracer = new Tracer(true, () -> TraceHeader.parse(header), daemon::address);
        return new DeliveryIntake(tenants, secrets, providers, ledger, queue, config, outcomes, calls, tracer);
    }

    private static WebhookRequest stripe(String eventId) {
        String body = ProviderDeliveriesTest.stripeEvent(eventId, "customer.created", 1_700_000_000);
        SignedDelivery signed = SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now());
        Map<String, List<String>> headers = Map.of("Stripe-Signature", List.of(signed.headers.get("Stripe-Signature")));
        return new WebhookRequest(headers, signed.body);
    }

    @Test
    void aSampledDeliverySendsItsClaimAndSendSpans() throws Exception {
        String tenant = fixture.newTenant();
        try (DaemonListener daemon = new DaemonListener()) {
            DeliveryIntake intake = tracedIntake(daemon, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");

            IntakeResult result = intake.handle(tenant, "stripe", Optional.of("application/json"), stripe("evt_traced"));

            assertInstanceOf(IntakeResult.Accepted.class, result);
            List<JsonNode> spans = daemon.received(1_000);
            assertEquals(List.of("claim", "send"), spans.stream().map(span -> span.path("name").asText()).toList());
            for (JsonNode span : spans) {
                assertEquals(ROOT, span.path("trace_id").asText());
                assertEquals(PARENT, span.path("parent_id").asText());
                assertEquals("subsegment", span.path("type").asText());
                assertTrue(span.path("end_time").asDouble() >= span.path("start_time").asDouble());
                assertEquals(tenant, span.path("annotations").path("tenant").asText());
                assertEquals("stripe", span.path("annotations").path("source").asText());
                assertEquals(1, span.path("annotations").path("events").asInt());
                assertFalse(span.has("fault"), span.toString());
            }
            assertTrue(spans.get(0).path("end_time").asDouble() <= spans.get(1).path("start_time").asDouble(),
                    "the claim ends before the send starts");
        }
        assertEquals(1, fixture.drain(tenant).size());
    }

    @Test
    void aDuplicateIsAClaimWithNoSend() throws Exception {
        String tenant = fixture.newTenant();
        try (DaemonListener daemon = new DaemonListener()) {
            DeliveryIntake intake = tracedIntake(daemon, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");
            intake.handle(tenant, "stripe", Optional.of("application/json"), stripe("evt_traced_twice"));
            daemon.received(500);

            intake.handle(tenant, "stripe", Optional.of("application/json"), stripe("evt_traced_twice"));

            assertEquals(List.of("claim"), daemon.received(1_000).stream().map(span -> span.path("name").asText()).toList());
        }
        fixture.drain(tenant);
    }

    @Test
    void aDeliveryNotSampledSendsNothing() throws Exception {
        String tenant = fixture.newTenant();
        try (DaemonListener daemon = new DaemonListener()) {
            DeliveryIntake intake = tracedIntake(daemon, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=0");

            intake.handle(tenant, "stripe", Optional.of("application/json"), stripe("evt_untraced"));

            assertEquals(List.of(), daemon.received(500));
        }
        assertEquals(1, fixture.drain(tenant).size());
    }

    @Test
    void eachOutcomeLineOfAnInvocationCarriesItsLambdaRequestId() throws Exception {
        String tenant = fixture.newTenant();
        String requestId = UUID.randomUUID().toString();
        String body = ProviderDeliveriesTest.stripeEvent("evt_request_id", "customer.created", 1_700_000_000);

        String printed = printedDuring(() -> SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now())
                // the mock event server takes the invocation's request id from this header
                .header("Lambda-Runtime-Aws-Request-Id", requestId).post(tenant, "stripe").statusCode(200));

        JsonNode line = outcomeLine(printed, tenant);
        assertEquals("accepted", line.path("outcome").asText());
        assertEquals(requestId, line.path("requestId").asText(), line.toString());
        assertFalse(line.has("traceId"), "the test runtime's trace header is no X-Ray header: " + line);
        fixture.drain(tenant);
    }

    private static JsonNode outcomeLine(String printed, String tenant) throws Exception {
        for (String line : printed.split("\n")) {
            if (line.startsWith("{") && line.contains("\"tenant\":\"" + tenant + "\"")) {
                return new ObjectMapper().readTree(line);
            }
        }
        throw new AssertionError("no outcome line for " + tenant + " in:\n" + printed);
    }

    /** What the function printed on standard output (where the outcome lines go) while {@code work} ran. */
    private static String printedDuring(Runnable work) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(console);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
