package dev.ledgerhook.ingest;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the ingest function; {@link StartupChecks} rejects unsafe values at start-up. */
@ConfigMapping(prefix = "ledgerhook.ingest")
public interface IngestConfig {

    /**
     * Largest accepted body in bytes; larger ones get 413. Default 262144 (256 KiB). May not exceed
     * the SQS message limit less the envelope's reserve ({@code StackDefinition.MAX_MESSAGE_BYTES} - 64 KiB).
     */
    @WithDefault("262144")
    int maxBodyBytes();

    /**
     * How long a claim is held before another delivery may take it over and re-enqueue the event.
     * At least the function's timeout (10 s in the template), so a live claimant is never
     * overtaken. Default 30 seconds.
     */
    @WithDefault("PT30S")
    Duration claimLease();

    /**
     * How long an event key is remembered when its source sets no retention: the TTL. At least the
     * longest provider retry window (3 days). Default 30 days.
     */
    @WithDefault("P30D")
    Duration defaultRetention();

    /**
     * How many of one delivery's AWS calls (claims, batch sends, ENQUEUED marks, releases) run at
     * once. A QuickBooks notification of 1,000 changes is 1,000 claims and 1,000 marks, which one at
     * a time take longer than the function's 10 s time-out. Between 1 and 64. Default 16.
     */
    @WithDefault("16")
    int parallelCalls();
}
