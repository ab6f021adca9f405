package dev.ledgerhook.tracing;

import java.util.Optional;
import java.util.concurrent.Callable;

import org.jboss.logging.MDC;

/**
 * The invocation's identifiers in the logging MDC, so every log record (and every outcome line,
 * see {@code OutcomeLog}) carries them: {@value #REQUEST_ID}, the Lambda request id, and
 * {@value #TRACE_ID}, the X-Ray trace id when the invocation has a trace header. Set for the
 * length of an invocation with {@link #open(String)}; carried onto pool threads with
 * {@link #carried(Callable)}.
 */
public final class LogContext implements AutoCloseable {

    public static final String REQUEST_ID = "requestId";
    public static final String TRACE_ID = "traceId";

    private final Object previousRequestId;
    private final Object previousTraceId;

    private LogContext(String requestId, String traceId) {
        previousRequestId = put(REQUEST_ID, requestId);
        previousTraceId = put(TRACE_ID, traceId);
    }

    /** Puts the request id (if known) and the current trace header's Root (if any); closing restores what was there. */
    public static LogContext open(String requestId) {
        return new LogContext(requestId, TraceHeader.current().map(TraceHeader::root).orElse(null));
    }

    /** The request id of this thread's invocation, if set. */
    public static Optional<String> requestId() {
        return get(REQUEST_ID);
    }

    /** The trace id of this thread's invocation, if set. */
    public static Optional<String> traceId() {
        return get(TRACE_ID);
    }

    /**
     * {@code task}, run with the identifiers the calling thread has now, none if it has none. Always
     * set, never left as found: the MDC is inherited by threads a pool starts, so a pool thread
     * started during one invocation holds that invocation's ids until something replaces them.
     */
    public static <T> Callable<T> carried(Callable<T> task) {
        String requestId = requestId().orElse(null);
        String traceId = traceId().orElse(null);
        return () -> {
            try (LogContext context = new LogContext(requestId, traceId)) {
                return task.call();
            }
        };
    }

    @Override
    public void close() {
        restore(REQUEST_ID, previousRequestId);
        restore(TRACE_ID, previousTraceId);
    }

    private static Object put(String key, String value) {
        Object previous = MDC.get(key);
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
        return previous;
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    private static Optional<String> get(String key) {
        Object value = MDC.get(key);
        return value == null ? Optional.empty() : Optional.of(value.toString()).filter(text -> !text.isEmpty());
    }
}
