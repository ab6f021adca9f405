package dev.ledgerhook.worker;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The worker's retry, isolation and concurrency settings. */
@ConfigMapping(prefix = "ledgerhook.worker")
public interface WorkerConfig {

    /** Messages of one batch processed at once. Default 10 (the template's batch size), so one slow tenant holds no other tenant's message. */
    @WithDefault("10")
    int concurrency();

    /** In-process retries of a transient accounting failure. Default 3. */
    @WithDefault("3")
    int maxRetries();

    /** First retry delay; doubles each retry up to {@link #maxRetryDelay()}. Default 200 ms. */
    @WithDefault("PT0.2S")
    Duration retryDelay();

    /** Longest retry delay. Default 2 s. */
    @WithDefault("PT2S")
    Duration maxRetryDelay();

    /** Random jitter added to each retry delay, up to this. Default 100 ms. */
    @WithDefault("PT0.1S")
    Duration retryJitter();

    /** Time-out of one accounting call. Default 20 s. */
    @WithDefault("PT20S")
    Duration callTimeout();

    /** Calls of one tenant in flight in this container; more wait their turn, so one tenant cannot take every thread. Default 5. */
    @WithDefault("5")
    int tenantBulkhead();

    /** A tenant's circuit opens when this share of its last {@link #circuitVolume()} calls failed transiently. Default 0.5. */
    @WithDefault("0.5")
    double circuitFailureRatio();

    /** Calls the circuit looks at. Default 10. */
    @WithDefault("10")
    int circuitVolume();

    /** How long an open circuit stays open. Default 30 s. */
    @WithDefault("PT30S")
    Duration circuitDelay();

    /** No in-process retry starts with less than this left of the invocation. Default 5 s. */
    @WithDefault("PT5S")
    Duration deadlineMargin();

    /** First redelivery delay after a transient failure; doubles per receive up to 15 minutes. Default 30 s. */
    @WithDefault("PT30S")
    Duration redeliveryDelay();
}
