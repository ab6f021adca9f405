package dev.ledgerhook.benchmarks;

import java.util.Arrays;

/** Latencies of one measured operation, in nanoseconds, and their summary in milliseconds. */
final class Samples {

    private long[] values = new long[256];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized int size() {
        return size;
    }

    synchronized double medianMs() {
        return percentileMs(50);
    }

    synchronized double p99Ms() {
        return percentileMs(99);
    }

    synchronized double meanMs() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return size == 0 ? Double.NaN : sum / (double) size / 1e6;
    }

    /** Nearest-rank percentile. */
    synchronized double percentileMs(double percentile) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }
}
