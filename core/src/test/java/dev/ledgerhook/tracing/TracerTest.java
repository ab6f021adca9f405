package dev.ledgerhook.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class TracerTest {

    static final String ROOT = TraceHeaderTest.ROOT;
    static final String PARENT = TraceHeaderTest.PARENT;

    private DaemonListener daemon;
    private final AtomicReference<String> header = new AtomicReference<>();

    @BeforeEach
    void listen() throws IOException {
        daemon = new DaemonListener();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private Tracer tracer(boolean enabled) {
        return new Tracer(enabled, () -> TraceHeader.parse(header.get()), daemon::address);
    }

    private void sampled() {
        header.set("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");
    }

    @Test
    void aSampledSpanArrivesAsOneSubsegmentOfTheInvocationsSegment() throws Exception {
        sampled();
        Tracer tracer = tracer(true);
        double before = System.currentTimeMillis() / 1000.0;

        String result = tracer.span("claim", Map.of("tenant", "acme", "events", 3), () -> {
            sleep(20);
            return "done";
        });

        double after = System.currentTimeMillis() / 1000.0;
        assertEquals("done", result);
        List<JsonNode> spans = daemon.received(500);
        assertEquals(1, spans.size());
        JsonNode span = spans.get(0);
        assertEquals("claim", span.path("name").asText());
        assertEquals("subsegment", span.path("type").asText());
        assertEquals(ROOT, span.path("trace_id").asText());
        assertEquals(PARENT, span.path("parent_id").asText());
        assertTrue(span.path("id").asText().matches("[0-9a-f]{16}"), span.toString());
        double start = span.path("start_time").asDouble();
        double end = span.path("end_time").asDouble();
        assertTrue(start >= before - 0.001 && end <= after + 0.001, span.toString());
        assertTrue(end - start >= 0.019, "the span lasts as long as the work: " + span);
        assertEquals("acme", span.path("annotations").path("tenant").asText());
        assertEquals(3, span.path("annotations").path("events").asInt());
        assertTrue(span.path("annotations").path("events").isNumber());
        assertFalse(span.has("fault"));
        assertFalse(span.has("namespace"));
        assertEquals(1, tracer.sent());
        assertEquals(0, tracer.sendFailures());
    }

    @Test
    void eachSpanHasItsOwnIdAndTheSameParent() throws Exception {
        sampled();
        Tracer tracer = tracer(true);

        tracer.span("mark-processing", Map.of(), () -> { });
        tracer.span("mark-completed", Map.of(), () -> { });

        List<JsonNode> spans = daemon.received(500);
        assertEquals(List.of("mark-processing", "mark-completed"), spans.stream().map(s -> s.path("name").asText()).toList());
        assertNotEquals(spans.get(0).path("id").asText(), spans.get(1).path("id").asText());
        assertEquals(PARENT, spans.get(1).path("parent_id").asText());
    }

    @Test
    void anExceptionIsRecordedAsAFaultWithItsCauseAndRethrownUnchanged() throws Exception {
        sampled();
        Tracer tracer = tracer(true);
        IllegalStateException thrown = new IllegalStateException("table is gone");

        IllegalStateException caught = assertThrows(IllegalStateException.class,
                () -> tracer.span("send", Map.of(), (Runnable) () -> { throw thrown; }));

        assertSame(thrown, caught);
        JsonNode span = daemon.received(500).get(0);
        assertTrue(span.path("fault").asBoolean(), span.toString());
        JsonNode exception = span.path("cause").path("exceptions").get(0);
        assertEquals(IllegalStateException.class.getName(), exception.path("type").asText());
        assertEquals("table is gone", exception.path("message").asText());
        assertTrue(exception.path("id").asText().matches("[0-9a-f]{16}"));
        assertTrue(exception.path("stack").get(0).path("label").asText().contains("TracerTest"), exception.toString());
    }

    @Test
    void aCheckedExceptionOfTheWorkPassesThroughTrace() throws Exception {
        sampled();
        Tracer tracer = tracer(true);
        Exception refused = new java.util.concurrent.TimeoutException("slow");

        Exception caught = assertThrows(java.util.concurrent.TimeoutException.class,
                () -> tracer.trace("quickbooks.query", Map.of(), span -> { throw refused; }));

        assertSame(refused, caught);
        assertTrue(daemon.received(500).get(0).path("fault").asBoolean());
    }

    @Test
    void anHttpCallIsRemoteWithItsRequestAndStatus() throws Exception {
        sampled();
        Tracer tracer = tracer(true);

        tracer.trace("quickbooks.post", Map.of("method", "POST", "entity", "Customer"), span -> {
            span.annotate("status", 429).http("POST", "https://quickbooks.example/v3/company/1/customer", 429);
            return null;
        });

        JsonNode span = daemon.received(500).get(0);
        assertEquals("remote", span.path("namespace").asText());
        assertEquals("POST", span.path("http").path("request").path("method").asText());
        assertEquals(429, span.path("http").path("response").path("status").asInt());
        assertTrue(span.path("throttle").asBoolean());
        assertTrue(span.path("error").asBoolean());
        assertFalse(span.has("fault"));
        assertEquals("Customer", span.path("annotations").path("entity").asText());
        assertEquals(429, span.path("annotations").path("status").asInt());
    }

    @Test
    void aFaultWithoutAnExceptionIsMarked() throws Exception {
        sampled();
        tracer(true).trace("claim", Map.of(), span -> span.fault());

        JsonNode span = daemon.received(500).get(0);
        assertTrue(span.path("fault").asBoolean());
        assertFalse(span.has("cause"));
    }

    @Test
    void annotationKeysAreMadeXRaySafe() throws Exception {
        sampled();
        tracer(true).span("claim", Map.of("event-key", "k"), () -> { });

        assertEquals("k", daemon.received(500).get(0).path("annotations").path("event_key").asText());
    }

    @Test
    void nothingIsSentWhenTracingIsOff() throws Exception {
        sampled();
        Tracer tracer = tracer(false);
        AtomicBoolean ran = new AtomicBoolean();

        tracer.span("claim", Map.of(), () -> ran.set(true));

        assertTrue(ran.get());
        assertEquals(List.of(), daemon.received(300));
        assertEquals(0, tracer.sent());
    }

    @Test
    void nothingIsSentForAnInvocationNotSampled() throws Exception {
        header.set("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=0");
        Tracer tracer = tracer(true);

        assertEquals(7, (int) tracer.span("claim", Map.of(), () -> 7));
        assertEquals(List.of(), daemon.received(300));
    }

    @Test
    void nothingIsSentWithoutATraceHeaderOrWithABadOne() throws Exception {
        Tracer tracer = tracer(true);
        tracer.span("claim", Map.of(), () -> { });
        header.set("Root=nonsense;Parent=" + PARENT + ";Sampled=1");
        tracer.span("claim", Map.of(), () -> { });
        header.set("Root=" + ROOT + ";Sampled=1");
        tracer.span("claim", Map.of(), () -> { });

        assertEquals(List.of(), daemon.received(300));
        assertEquals(0, tracer.sent());
    }

    @Test
    void theWorkSeesAnUnrecordedSpanWhenNotSampled() throws Exception {
        Span seen = tracer(true).trace("claim", Map.of(), span -> span.annotate("status", 200).fault());

        assertFalse(seen.recorded());
    }

    @Test
    void aSendThatFailsIsCountedAndNeverFailsTheWork() {
        sampled();
        Tracer unreachable = new Tracer(true, () -> TraceHeader.parse(header.get()), () -> "tcp:127.0.0.1:2000");

        assertEquals("still done", unreachable.span("claim", Map.of(), () -> "still done"));
        assertEquals(1, unreachable.sendFailures());
        assertEquals(0, unreachable.sent());
    }

    @Test
    void theDaemonAddressIsHostPortOrTheUdpPartOfTcpAndUdp() {
        assertEquals(2000, Tracer.parseDaemonAddress("127.0.0.1:2000").getPort());
        assertEquals("169.254.79.129", Tracer.parseDaemonAddress("169.254.79.129:2000").getHostString());
        assertEquals(2001, Tracer.parseDaemonAddress("tcp:127.0.0.1:2000 udp:127.0.0.2:2001").getPort());
        assertEquals("127.0.0.2", Tracer.parseDaemonAddress("udp:127.0.0.2:2001 tcp:127.0.0.1:2000").getHostString());
        assertThrows(IllegalArgumentException.class, () -> Tracer.parseDaemonAddress("tcp:127.0.0.1:2000"));
        assertThrows(IllegalArgumentException.class, () -> Tracer.parseDaemonAddress("nohost"));
        assertThrows(NumberFormatException.class, () -> Tracer.parseDaemonAddress("127.0.0.1:x"));
    }

    @Test
    void offNeverSends() {
        assertEquals(Optional.of(1), Tracer.off().span("claim", Map.of(), () -> Optional.of(1)));
        assertEquals(0, Tracer.off().sent());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
