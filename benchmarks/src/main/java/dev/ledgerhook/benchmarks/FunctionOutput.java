package dev.ledgerhook.benchmarks;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.ledgerhook.benchmarks.counting.AwsCallCounter;

/**
 * A function's output as the benchmark reads it: the request counter's lines (AWS requests by
 * service and operation) and the outcome lines (by outcome), counted; the last other lines kept
 * for error reports.
 */
final class FunctionOutput implements Consumer<String> {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Deque<String> tail = new ArrayDeque<>();

    @Override
    public void accept(String line) {
        int mark = line.indexOf(AwsCallCounter.MARK);
        if (mark >= 0) {
            String call = line.substring(mark + AwsCallCounter.MARK.length()).trim();
            calls.computeIfAbsent(call, name -> new LongAdder()).increment();
            return;
        }
        int outcome = line.indexOf("\"outcome\":\"");
        if (outcome >= 0) {
            int start = outcome + "\"outcome\":\"".length();
            int end = line.indexOf('"', start);
            if (end > start) {
                outcomes.computeIfAbsent(line.substring(start, end), name -> new LongAdder()).increment();
            }
            return;
        }
        synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 30) {
                tail.removeFirst();
            }
        }
    }

    Map<String, Long> calls() {
        return AwsCallCounter.snapshot(calls);
    }

    long outcome(String name) {
        LongAdder count = outcomes.get(name);
        return count == null ? 0 : count.sum();
    }

    Map<String, Long> outcomes() {
        Map<String, Long> copy = new TreeMap<>();
        outcomes.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
