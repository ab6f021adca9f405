package dev.ledgerhook.tracing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One span of {@link Tracer}: what becomes an X-Ray subsegment document when it ends. A span that
 * is not recorded (tracing off, not sampled) takes every call and keeps nothing. Annotation keys
 * are X-Ray's (letters, digits, underscore: other characters become {@code _}); values are strings,
 * numbers or booleans.
 */
public final class Span {

    static final Span NOT_RECORDED = new Span();

    private static final int MAX_FRAMES = 20;

    private final boolean recorded;
    private final String name;
    private final String id;
    private final Instant start;
    private final Map<String, Object> annotations = new LinkedHashMap<>();
    private volatile Instant end;
    private String namespace;
    private String httpMethod;
    private String httpUrl;
    private int httpStatus;
    private boolean fault;
    private boolean error;
    private boolean throttle;
    private Throwable failure;

    private Span() {
        this.recorded = false;
        this.name = null;
        this.id = null;
        this.start = null;
    }

    Span(String name, Map<String, ?> annotations) {
        this.recorded = true;
        this.name = name;
        this.id = Tracer.newId();
        this.start = Instant.now();
        annotations.forEach(this::annotate);
    }

    /** Whether this span is sent when it ends. */
    public boolean recorded() {
        return recorded;
    }

    /** An indexed annotation; a null value is left out. */
    public synchronized Span annotate(String key, Object value) {
        if (recorded && value != null) {
            Object kept = value instanceof Number || value instanceof Boolean ? value : value.toString();
            annotations.put(key.replaceAll("[^A-Za-z0-9_]", "_"), kept);
        }
        return this;
    }

    /** A call to a service outside the function (namespace {@code remote}) over HTTP, and its answer. */
    public synchronized Span http(String method, String url, int status) {
        if (recorded) {
            namespace = "remote";
            httpMethod = method;
            httpUrl = url;
            httpStatus = status;
            throttle = status == 429;
            error = status >= 400 && status < 500;
            fault = fault || status >= 500;
        }
        return this;
    }

    /** The work failed without an exception (for example, a claim that could not be written). */
    public synchronized Span fault() {
        fault = recorded;
        return this;
    }

    synchronized void failed(Throwable failure) {
        this.failure = failure;
        this.fault = true;
    }

    void end() {
        end = Instant.now();
    }

    synchronized String document(TraceHeader header) {
        StringWriter text = Tracer.text();
        try (JsonGenerator json = Tracer.json(text)) {
            json.writeStartObject();
            json.writeStringField("name", name);
            json.writeStringField("id", id);
            json.writeStringField("trace_id", header.root());
            json.writeStringField("parent_id", header.parent().orElseThrow());
            json.writeStringField("type", "subsegment");
            json.writeNumberField("start_time", Tracer.epochSeconds(start));
            json.writeNumberField("end_time", Tracer.epochSeconds(end == null ? Instant.now() : end));
            if (namespace != null) {
                json.writeStringField("namespace", namespace);
            }
            writeFlags(json);
            writeHttp(json);
            writeAnnotations(json);
            writeCause(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private void writeFlags(JsonGenerator json) throws IOException {
        if (fault) {
            json.writeBooleanField("fault", true);
        }
        if (error) {
            json.writeBooleanField("error", true);
        }
        if (throttle) {
            json.writeBooleanField("throttle", true);
        }
    }

    private void writeHttp(JsonGenerator json) throws IOException {
        if (httpMethod == null) {
            return;
        }
        json.writeObjectFieldStart("http");
        json.writeObjectFieldStart("request");
        json.writeStringField("method", httpMethod);
        json.writeStringField("url", httpUrl);
        json.writeEndObject();
        if (httpStatus > 0) {
            json.writeObjectFieldStart("response");
            json.writeNumberField("status", httpStatus);
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private void writeAnnotations(JsonGenerator json) throws IOException {
        if (annotations.isEmpty()) {
            return;
        }
        json.writeObjectFieldStart("annotations");
        for (Map.Entry<String, Object> annotation : annotations.entrySet()) {
            Object value = annotation.getValue();
            if (value instanceof Boolean flag) {
                json.writeBooleanField(annotation.getKey(), flag);
            } else if (value instanceof Number number) {
                json.writeFieldName(annotation.getKey());
                json.writeNumber(number.toString());
            } else {
                json.writeStringField(annotation.getKey(), (String) value);
            }
        }
        json.writeEndObject();
    }

    private void writeCause(JsonGenerator json) throws IOException {
        if (failure == null) {
            return;
        }
        json.writeObjectFieldStart("cause");
        json.writeArrayFieldStart("exceptions");
        json.writeStartObject();
        json.writeStringField("id", Tracer.newId());
        json.writeStringField("type", failure.getClass().getName());
        if (failure.getMessage() != null) {
            json.writeStringField("message", failure.getMessage());
        }
        StackTraceElement[] frames = failure.getStackTrace();
        json.writeArrayFieldStart("stack");
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
            json.writeStartObject();
            json.writeStringField("label", frames[i].getClassName() + "." + frames[i].getMethodName());
            if (frames[i].getFileName() != null) {
                json.writeStringField("path", frames[i].getFileName());
            }
            json.writeNumberField("line", frames[i].getLineNumber());
            json.writeEndObject();
        }
        json.writeEndArray();
        if (frames.length > MAX_FRAMES) {
            json.writeNumberField("truncated", frames.length - MAX_FRAMES);
        }
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
    }
}
