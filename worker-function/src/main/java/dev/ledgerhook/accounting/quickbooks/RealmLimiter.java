package dev.ledgerhook.accounting.quickbooks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.accounting.AccountingException;

/**
 * Keeps each realm under QuickBooks' limits from this process: at most N calls per rolling minute
 * and M in flight. A 429's Retry-After pauses the whole realm, not just the call that saw it.
 * (Several containers share a realm's real limit; the 429 handling covers what this cannot see.)
 */
@ApplicationScoped
public class RealmLimiter {

    /** One realm's window, slots and pause. */
    private static final class Realm {
        final Deque<Long> calls = new ArrayDeque<>();
        final Semaphore inFlight;
        long pausedUntil;

        Realm(int maxConcurrent) {
            inFlight = new Semaphore(maxConcurrent, true);
        }
    }

    private final int requestsPerWindow;
    private final int maxConcurrent;
    private final long windowMillis;
    private final Map<String, Realm> realms = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    public RealmLimiter(QuickBooksConfig config) {
        this(config.requestsPerMinute(), config.maxConcurrent(), Duration.ofMinutes(1));
    }

    /** A limiter with its own window, for tests that cannot wait a minute. */
    RealmLimiter(int requestsPerWindow, int maxConcurrent, Duration window) {
        this.requestsPerWindow = requestsPerWindow;
        this.maxConcurrent = maxConcurrent;
        this.windowMillis = window.toMillis();
    }

    /**
     * Waits for a slot; gives up (transient) when none frees within {@code maxWait}, or when the
     * thread is interrupted (SmallRye Fault Tolerance's timeout does that). Returns holding a slot,
     * to be given back with {@link #release}; throws holding none.
     */
    public void acquire(String realmId, Duration maxWait) throws AccountingException {
        Realm realm = realms.computeIfAbsent(realmId, id -> new Realm(maxConcurrent));
        long deadline = System.nanoTime() + maxWait.toNanos();
        takeSlot(realm, realmId, maxWait);
        boolean reserved = false;
        try {
            waitForWindow(realm, realmId, deadline);
            reserved = true;
        } finally {
            // The slot is held from here until the caller's release, and the wait for the rolling
            // minute (or a 429's pause) can be long: whatever ends it without a reservation (the
            // budget running out, an interrupt during the sleep, anything unexpected) gives the
            // slot back. A slot kept here is lost for the container's lifetime; after maxConcurrent
            // such losses the realm would take no call at all.
            if (!reserved) {
                realm.inFlight.release();
            }
        }
    }

    /** Takes one of the realm's concurrent slots, or throws having taken none. */
    private static void takeSlot(Realm realm, String realmId, Duration maxWait) throws AccountingException {
        try {
            if (!realm.inFlight.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy(realmId);
            }
        } catch (InterruptedException e) {
            throw interrupted(realmId); // interrupted before a slot was granted: nothing to give back
        }
    }

    /** Waits until the rolling minute (and any pause) admits one more call, and reserves it. */
    private void waitForWindow(Realm realm, String realmId, long deadline) throws AccountingException {
        try {
            while (true) {
                long waitMillis = reserveOrWait(realm);
                if (waitMillis == 0) {
                    return;
                }
                if (System.nanoTime() + waitMillis * 1_000_000 > deadline) {
                    throw busy(realmId);
                }
                Thread.sleep(waitMillis);
            }
        } catch (InterruptedException e) {
            throw interrupted(realmId);
        }
    }

    public void release(String realmId) {
        Realm realm = realms.get(realmId);
        if (realm != null) {
            realm.inFlight.release();
        }
    }

    /** QuickBooks said 429: no call to this realm starts before {@code retryAfter} has passed. */
    public void pause(String realmId, Duration retryAfter) {
        Realm realm = realms.computeIfAbsent(realmId, id -> new Realm(maxConcurrent));
        synchronized (realm) {
            realm.pausedUntil = Math.max(realm.pausedUntil, System.currentTimeMillis() + retryAfter.toMillis());
        }
    }

    /** Takes a slot in the rolling minute and returns 0, or returns how long to wait for one. */
    private long reserveOrWait(Realm realm) {
        synchronized (realm) {
            long now = System.currentTimeMillis();
            if (realm.pausedUntil > now) {
                return realm.pausedUntil - now;
            }
            while (!realm.calls.isEmpty() && realm.calls.peekFirst() <= now - windowMillis) {
                realm.calls.pollFirst();
            }
            if (realm.calls.size() < requestsPerWindow) {
                realm.calls.addLast(now);
                return 0;
            }
            return realm.calls.peekFirst() + windowMillis - now + 1;
        }
    }

    /** Keeps the interrupt for the caller (SmallRye reads it) and reports a transient failure. */
    private static AccountingException interrupted(String realmId) {
        Thread.currentThread().interrupt();
        return AccountingException.transientFailure("LH-INTERRUPTED", "interrupted while waiting for realm " + realmId);
    }

    private static AccountingException busy(String realmId) {
        return AccountingException.transientFailure("LH-RATE-LIMIT",
                "realm " + realmId + " is at its request limit; retry later");
    }
}
