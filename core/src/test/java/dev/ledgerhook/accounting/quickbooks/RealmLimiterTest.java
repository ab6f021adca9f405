package dev.ledgerhook.accounting.quickbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.accounting.AccountingException;

class RealmLimiterTest {

    @Test
    void neverMoreThanTheConcurrencyLimitInFlightUnderABurst() throws Exception {
        RealmLimiter limiter = new RealmLimiter(1_000, 10, Duration.ofMinutes(1));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(pool.submit(() -> {
                limiter.acquire("realm-1", Duration.ofSeconds(30));
                try {
                    peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.sleep(5);
                    inFlight.decrementAndGet();
                } finally {
                    limiter.release("realm-1");
                }
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();
        assertEquals(10, peak.get(), "the burst filled, and never exceeded, 10 slots");
    }

    @Test
    void theRateLimitDelaysTheCallBeyondTheWindowAndOtherRealmsAreUntouched() throws Exception {
        RealmLimiter limiter = new RealmLimiter(5, 10, Duration.ofMillis(800));
        for (int i = 0; i < 5; i++) {
            limiter.acquire("busy", Duration.ofSeconds(5));
            limiter.release("busy");
        }
        long started = System.nanoTime();
        limiter.acquire("other", Duration.ofSeconds(5));
        long otherMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        limiter.acquire("busy", Duration.ofSeconds(5));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(otherMillis < 100, "another realm is not slowed: " + otherMillis + " ms");
        assertTrue(waitedMillis >= 600, "the 6th call waited for the window: " + waitedMillis + " ms");
    }

    @Test
    void aRetryAfterPausesTheRealmAndAWaitBeyondTheBudgetIsTransient() {
        RealmLimiter limiter = new RealmLimiter(500, 10, Duration.ofMinutes(1));
        limiter.pause("throttled", Duration.ofSeconds(5));
        AccountingException busy = assertThrows(AccountingException.class,
                () -> limiter.acquire("throttled", Duration.ofMillis(200)));
        assertTrue(busy.isTransient());
    }
}
