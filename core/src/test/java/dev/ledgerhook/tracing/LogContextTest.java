package dev.ledgerhook.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

class LogContextTest {

    @Test
    void closingRestoresWhatWasThereBefore() {
        try (LogContext outer = LogContext.open("outer")) {
            try (LogContext inner = LogContext.open("inner")) {
                assertEquals(Optional.of("inner"), LogContext.requestId());
            }
            assertEquals(Optional.of("outer"), LogContext.requestId());
        }
        assertEquals(Optional.empty(), LogContext.requestId());
    }

    @Test
    void theTraceIdIsTheCurrentHeadersRootSampledOrNot() {
        System.setProperty(TraceHeader.PROPERTY, "Root=" + TraceHeaderTest.ROOT + ";Sampled=0");
        try (LogContext context = LogContext.open("r")) {
            assertEquals(Optional.of(TraceHeaderTest.ROOT), LogContext.traceId());
        } finally {
            System.clearProperty(TraceHeader.PROPERTY);
        }
        assertEquals(Optional.empty(), LogContext.traceId());
    }

    @Test
    void aCarriedTaskSeesTheCallersIdsOnAnotherThreadAndNoOthers() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            try (LogContext context = LogContext.open("carried")) {
                assertEquals(Optional.of("carried"), pool.submit(LogContext.carried(LogContext::requestId)).get());
            }
            // the pool's thread was started inside the context and inherited its MDC: carried replaces it
            assertEquals(Optional.empty(), pool.submit(LogContext.carried(LogContext::requestId)).get());
            try (LogContext context = LogContext.open("next")) {
                assertEquals(Optional.of("next"), pool.submit(LogContext.carried(LogContext::requestId)).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
