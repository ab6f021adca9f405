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

    /**
     * Only transient failures of the accounting system are retried, and only they open the circuit.
     * {@code LH-REFERENCE} (the referenced entity is not created yet) and {@code LH-ENTITY-BUSY}
     * (another event of the same entity holds its version) are waits on our own ordering, not
     * faults of QuickBooks: a burst of them during a shuffled or duplicated storm must not open the
     * tenant's circuit and push healthy events to the DLQ. They go back to SQS at once instead.
     */
    static boolean accountingFault(Throwable failure) {
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
                    .whenException(TenantGuards::accountingFault)
                    .withExponentialBackoff().factor(2).maxDelay(config.maxRetryDelay().toMillis(), ChronoUnit.MILLIS).done()
                    .done()
                .withCircuitBreaker()
                    .name("accounting-" + tenant)
                    .when(TenantGuards::accountingFault)
                    .requestVolumeThreshold(config.circuitVolume())
                    .failureRatio(config.circuitFailureRatio())
                    .delay(config.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .withBulkhead().limit(config.tenantBulkhead()).queueSize(config.concurrency()).enableSynchronousQueueing().done()
                .withTimeout().duration(config.callTimeout().toMillis(), ChronoUnit.MILLIS).done()
                .build();
    }
}
