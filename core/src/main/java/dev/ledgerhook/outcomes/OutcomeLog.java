package dev.ledgerhook.outcomes;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.ledgerhook.tracing.LogContext;

/**
 * One JSON line per outcome on standard output, in CloudWatch Embedded Metric Format: the same
 * line is the structured log record (tenant, source, key, outcome, latency, ...) and, once in
 * CloudWatch Logs, the metrics {@code Outcomes} (count) and {@code LatencyMs} in namespace
 * {@code Ledgerhook}, by {@code function} and {@code outcome}. No metrics client, no extra call.
 * Each line also carries the invocation's {@code requestId} and, when it is traced, {@code traceId},
 * from the logging MDC ({@link LogContext}) of the thread that records it.
 */
@ApplicationScoped
public class OutcomeLog {

    public static final String NAMESPACE = "Ledgerhook";

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * @param function  {@code ingest} or {@code worker}
     * @param outcome   what happened, e.g. {@code accepted}, {@code duplicate}, {@code bad_signature}
     * @param latencyMs time spent, in milliseconds
     * @param fields    context for reconciliation; values are strings, numbers or booleans; null values are left out
     */
    public void record(String function, String outcome, double latencyMs, Map<String, ?> fields) {
        String line = line(function, outcome, latencyMs, fields);
        PrintStream out = System.out;
        synchronized (out) {
            out.println(line);
        }
    }

    static String line(String function, String outcome, double latencyMs, Map<String, ?> fields) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            writeMetricDirective(json);
            json.writeStringField("function", function);
            json.writeStringField("outcome", outcome);
            json.writeNumberField("Outcomes", 1);
            json.writeNumberField("LatencyMs", Math.round(latencyMs * 100) / 100.0);
            for (Map.Entry<String, ?> field : fields.entrySet()) {
                writeField(json, field.getKey(), field.getValue());
            }
            writeInvocation(json, fields);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writeMetricDirective(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("_aws");
        json.writeNumberField("Timestamp", System.currentTimeMillis());
        json.writeArrayFieldStart("CloudWatchMetrics");
        json.writeStartObject();
        json.writeStringField("Namespace", NAMESPACE);
        json.writeArrayFieldStart("Dimensions");
        json.writeStartArray();
        json.writeString("function");
        json.writeString("outcome");
        json.writeEndArray();
        json.writeEndArray();
        json.writeArrayFieldStart("Metrics");
        json.writeStartObject();
        json.writeStringField("Name", "Outcomes");
        json.writeStringField("Unit", "Count");
        json.writeEndObject();
        json.writeStartObject();
        json.writeStringField("Name", "LatencyMs");
        json.writeStringField("Unit", "Milliseconds");
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The invocation's request and trace ids from the MDC (see {@link LogContext}), where set and not a field already. */
    private static void writeInvocation(JsonGenerator json, Map<String, ?> fields) throws IOException {
        Optional<String> requestId = LogContext.requestId();
        if (requestId.isPresent() && !fields.containsKey(LogContext.REQUEST_ID)) {
            json.writeStringField(LogContext.REQUEST_ID, requestId.get());
        }
        Optional<String> traceId = LogContext.traceId();
        if (traceId.isPresent() && !fields.containsKey(LogContext.TRACE_ID)) {
            json.writeStringField(LogContext.TRACE_ID, traceId.get());
        }
    }

    private static void writeField(JsonGenerator json, String name, Object value) throws IOException {
        if (value == null) {
            return;
        }
        if (value instanceof Number number) {
            json.writeFieldName(name);
            json.writeNumber(number.toString());
        } else if (value instanceof Boolean flag) {
            json.writeBooleanField(name, flag);
        } else {
            json.writeStringField(name, value.toString());
        }
    }
}
