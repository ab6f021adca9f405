package dev.ledgerhook.benchmarks.counting;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS requests as they go on the wire ({@code beforeTransmission}: once per attempt, so SDK
 * retries count, as AWS bills them). Added to the benchmark's own clients it counts in memory; put
 * on a function's classpath as a global SDK interceptor (see {@code CountingPackages}) it prints
 * one {@value #MARK} line per request, which the benchmark reads from the container's output.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

    public static final String MARK = "LHBENCH-AWS";

    private final Map<String, LongAdder> counts;

    /** The global-interceptor form, used inside function containers: prints each request. */
    public AwsCallCounter() {
        this.counts = null;
    }

    public AwsCallCounter(Map<String, LongAdder> counts) {
        this.counts = counts;
    }

    public static Map<String, LongAdder> newCounts() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (counts == null) {
            System.out.println(MARK + " " + call);
        } else {
            counts.computeIfAbsent(call, name -> new LongAdder()).increment();
        }
    }

    /** A sorted copy, for reports. */
    public static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((call, count) -> copy.put(call, count.sum()));
        return copy;
    }
}
