package dev.ledgerhook.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.tracing.LogContext;

/**
 * Runs one delivery's independent AWS calls (claims, batch sends, ENQUEUED marks, releases) a few
 * at a time on a small pool, so a delivery of 1,000 events waits for about 1,000 / width round
 * trips instead of 1,000. Lambda gives a container one delivery at a time, so there the width is
 * the delivery's own; where deliveries run side by side (tests, the local default) they share it.
 * A delivery of one event calls on its own thread: no hand-over on the common path. The calls run
 * with the delivery's request and trace ids in the logging MDC.
 */
@ApplicationScoped
class CallPool {

    private final ExecutorService pool;

    CallPool(IngestConfig config) {
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.parallelCalls(), task -> {
            Thread thread = new Thread(task, "ledgerhook-calls-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The pool itself, for calls that report their own failures (batch sends). */
    Executor executor() {
        return pool;
    }

    /**
     * Applies {@code call} to every item, the results in the items' order. Once a call throws, calls
     * not yet started are skipped (result null) and the first failure is kept; every call that did
     * start is waited for, so the caller learns of each claim it won even when another claim failed.
     */
    <T, R> Results<R> each(List<T> items, Function<T, R> call) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<R> results = new ArrayList<>(items.size());
        if (items.size() == 1) {
            results.add(attempt(call, items.get(0), failure));
            return new Results<>(results, failure.get());
        }
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(LogContext.carried(() -> failure.get() == null ? attempt(call, item, failure) : null)));
        }
        for (Future<R> future : futures) {
            results.add(await(future));
        }
        return new Results<>(results, failure.get());
    }

    /** Applies {@code call}, which must not throw, to every item, and returns when all have run. */
    <T> void all(List<T> items, Consumer<T> call) {
        each(items, item -> {
            call.accept(item);
            return null;
        });
    }

    private static <T, R> R attempt(Function<T, R> call, T item, AtomicReference<RuntimeException> failure) {
        try {
            return call.apply(item);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            return null;
        }
    }

    /** Waits even when interrupted: a started claim must be known, or it could not be released. */
    private static <R> R await(Future<R> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a call failed outside its own handling", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @PreDestroy
    void close() {
        pool.shutdown();
    }

    /** Each item's result (null where its call failed or was skipped), and the first failure, if any. */
    record Results<R>(List<R> values, RuntimeException failure) {
    }
}
