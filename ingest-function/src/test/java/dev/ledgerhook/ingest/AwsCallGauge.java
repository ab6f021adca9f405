package dev.ledgerhook.ingest;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ledgerhook.ledger.LedgerConditions;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Watches the function's real AWS calls as they happen (a global SDK interceptor, loaded from
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the test classpath):
 * how many claims and sends were made, how many were in flight at once, how large each batch was.
 * It can also fail the n-th claim or batch send, as the storm's fault interceptor does, to show
 * what a delivery does when one call among many fails. It changes nothing else.
 */
public final class AwsCallGauge implements ExecutionInterceptor {

    static final String CLAIM = "claim";
    static final String SEND = "send";

    private static final ExecutionAttribute<InFlight> IN_FLIGHT = new ExecutionAttribute<>("ledgerhook.gauge.inFlight");
    private static final Map<String, Kind> KINDS = Map.of(CLAIM, new Kind(), SEND, new Kind());
    private static final AtomicInteger LARGEST_BATCH = new AtomicInteger();

    private static volatile long addedLatencyMillis;

    /** Forgets what was seen and any fault or latency asked for; call at the start of a test. */
    static void reset() {
        KINDS.values().forEach(Kind::reset);
        LARGEST_BATCH.set(0);
        addedLatencyMillis = 0;
    }

    /**
     * Adds a network round trip to every DynamoDB and SQS call, on the calling thread, as the
     * distance to AWS adds one in Lambda; the emulators on loopback answer in a few milliseconds
     * and apply one request at a time, which hides what waiting one call after another costs.
     */
    static void addLatency(long millis) {
        addedLatencyMillis = millis;
    }

    /** Makes the n-th call (1-based, counted from the last reset) of this kind fail before it is sent. */
    static void failNth(String kind, int n) {
        KINDS.get(kind).failAt = n;
    }

    static int calls(String kind) {
        return KINDS.get(kind).calls.get();
    }

    static int peakInFlight(String kind) {
        return KINDS.get(kind).peak.get();
    }

    static int largestBatch() {
        return LARGEST_BATCH.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String kind = kindOf(context.request());
        if (kind == null) {
            return;
        }
        Kind gauge = KINDS.get(kind);
        int number = gauge.calls.incrementAndGet();
        if (number == gauge.failAt) {
            throw SdkClientException.create("injected by AwsCallGauge: " + kind + " #" + number);
        }
        attributes.putAttribute(IN_FLIGHT, new InFlight(gauge));
        gauge.peak.accumulateAndGet(gauge.inFlight.incrementAndGet(), Math::max);
        if (context.request() instanceof SendMessageBatchRequest batch) {
            LARGEST_BATCH.accumulateAndGet(batch.entries().size(), Math::max);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        long millis = addedLatencyMillis;
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        finished(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        finished(attributes);
    }

    private static void finished(ExecutionAttributes attributes) {
        InFlight call = attributes.getAttribute(IN_FLIGHT);
        if (call != null && call.open.compareAndSet(true, false)) {
            call.kind.inFlight.decrementAndGet();
        }
    }

    private static String kindOf(SdkRequest request) {
        if (request instanceof PutItemRequest put && LedgerConditions.CLAIM.equals(put.conditionExpression())) {
            return CLAIM;
        }
        if (request instanceof SendMessageBatchRequest || request instanceof SendMessageRequest) {
            return SEND;
        }
        return null;
    }

    /** One counted call, closed once whichever of the end hooks runs. */
    private record InFlight(Kind kind, AtomicBoolean open) {
        InFlight(Kind kind) {
            this(kind, new AtomicBoolean(true));
        }
    }

    private static final class Kind {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        volatile int failAt;

        void reset() {
            calls.set(0);
            inFlight.set(0);
            peak.set(0);
            failAt = 0;
        }
    }
}
