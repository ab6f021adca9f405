package dev.ledgerhook.worker;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.accounting.AccountingException;
import io.smallrye.faulttolerance.api.Guard;

/**
 * One SmallRye Fault Tolerance guard per tenant: retry with exponential back-off, jitter and a
 * maximum; a time-out per call; a circuit breaker and a bulkhead of the tenant's own. A tenant whose
 * QuickBooks is down opens only its own circuit and fills only its own bulkhead.
 */
@ApplicationScoped
public class TenantGuards {

    /** Thrown inside a guarded call when too little of the invocation is left to try again. */
    public static final class DeadlineReached extends RuntimeException {
        DeadlineReached() {
            super("too little of the invocation left for another attempt", null, false, false);
        }
    }

    private final WorkerConfig config;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    public TenantGuards(WorkerConfig config) {
        this.config = config;
    }

    public Guard forTenant(String tenant) {
        return guards.computeIfAbsent(tenant, this::build);
    }

    /** Only transient accounting failures are retried, and they are what opens the circuit. */
    static boolean retryable(Throwable failure) {
        return failure instanceof AccountingException accounting && accounting.isTransient()
                && !"LH-REFERENCE".equals(accounting.code()) && !"LH-ENTITY-BUSY".equals(accounting.code());
    }

    private Guard build(String tenant) {
        return Guard.create()
                .withDescription("accounting calls of tenant " + tenant)
                .withRetry()
                    .maxRetries(config.maxRetries())
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(config.retryJitter().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(config.callTimeout().toMillis() * (config.maxRetries() + 1L), ChronoUnit.MILLIS)
                    .whenException(TenantGuards::retryable)
                    .withExponentialBackoff().factor(2).maxDelay(config.maxRetryDelay().toMillis(), ChronoUnit.MILLIS).done()
                    .done()
                .withCircuitBreaker()
                    .name("accounting-" + tenant)
                    .when(failure -> failure instanceof AccountingException a && a.isTransient())
                    .requestVolumeThreshold(config.circuitVolume())
                    .failureRatio(config.circuitFailureRatio())
                    .delay(config.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .withBulkhead().limit(config.tenantBulkhead()).queueSize(config.concurrency()).enableSynchronousQueueing().done()
                .withTimeout().duration(config.callTimeout().toMillis(), ChronoUnit.MILLIS).done()
                .build();
    }
}
