package dev.ledgerhook.accounting.quickbooks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * SmallRye's timeout interrupts a call waiting for its realm. Fifteen calls wait on a paused
     * realm (ten hold its concurrent slots and sleep out the pause, five queue for a slot) and are
     * all interrupted: afterwards the realm still takes its ten concurrent calls, and no more.
     */
    @Test
    void interruptedWaitsGiveTheirSlotsBackAndTheRealmKeepsServing() throws Exception {
        RealmLimiter limiter = new RealmLimiter(1_000, 10, Duration.ofMinutes(1));
        limiter.pause("realm-1", Duration.ofMillis(1_500)); // a 429's Retry-After
        List<AccountingException> refusals = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Thread waiter = new Thread(() -> {
                try {
                    limiter.acquire("realm-1", Duration.ofSeconds(10));
                    limiter.release("realm-1");
                } catch (AccountingException refused) {
                    refusals.add(refused);
                }
            });
            waiters.add(waiter);
            waiter.start();
        }
        awaitAllWaiting(waiters);
        waiters.forEach(Thread::interrupt);
        for (Thread waiter : waiters) {
            waiter.join(5_000);
        }

        assertEquals(15, refusals.size(), "every interrupted wait ended in a refusal");
        assertTrue(refusals.stream().allMatch(r -> r.isTransient() && r.code().equals("LH-INTERRUPTED")));
        for (int call = 1; call <= 10; call++) {
            int number = call;
            assertDoesNotThrow(() -> limiter.acquire("realm-1", Duration.ofSeconds(3)),
                    "call " + number + " of 10 after the interrupted waits");
        }
        AccountingException eleventh = assertThrows(AccountingException.class,
                () -> limiter.acquire("realm-1", Duration.ofMillis(200)));
        assertEquals("LH-RATE-LIMIT", eleventh.code(), "still at most 10 in flight: no slot was given back twice");
    }

    /** Until each thread is parked in the limiter: asleep on the pause, or queued for a slot. */
    private static void awaitAllWaiting(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING)) {
            assertTrue(System.nanoTime() < deadline, "the calls did not all start waiting");
            Thread.sleep(10);
        }
    }
}
