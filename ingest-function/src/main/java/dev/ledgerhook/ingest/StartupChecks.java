package dev.ledgerhook.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.providers.WebhookProviders;
import dev.ledgerhook.stack.StackDefinition;
import io.quarkus.runtime.StartupEvent;

/** Refuses to start with configuration that would lose or double events (invariant 6). */
@Singleton
public class StartupChecks {

    static final int ENVELOPE_RESERVE_BYTES = 64 * 1024;
    static final Duration MIN_LEASE = Duration.ofSeconds(10);
    static final int MAX_PARALLEL_CALLS = 64;

    void check(@Observes StartupEvent start, IngestConfig config, WebhookProviders providers) {
        List<String> problems = problems(config, providers);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("ledgerhook.ingest configuration rejected: " + String.join("; ", problems));
        }
    }

    static List<String> problems(IngestConfig config, WebhookProviders providers) {
        List<String> problems = new ArrayList<>();
        int maxBody = StackDefinition.MAX_MESSAGE_BYTES - ENVELOPE_RESERVE_BYTES;
        if (config.maxBodyBytes() < 1 || config.maxBodyBytes() > maxBody) {
            problems.add("max-body-bytes must be between 1 and " + maxBody + " (the SQS limit less the envelope), not "
                    + config.maxBodyBytes());
        }
        if (config.claimLease().compareTo(MIN_LEASE) < 0) {
            problems.add("claim-lease must be at least " + MIN_LEASE + " (the function timeout), not " + config.claimLease());
        }
        Duration longestRetry = Arrays.stream(SourceType.values())
                .map(type -> providers.forType(type).retryWindow()).max(Duration::compareTo).orElseThrow();
        if (config.defaultRetention().compareTo(longestRetry) < 0) {
            problems.add("default-retention must be at least the longest provider retry window " + longestRetry
                    + ", not " + config.defaultRetention());
        }
        if (config.parallelCalls() < 1 || config.parallelCalls() > MAX_PARALLEL_CALLS) {
            problems.add("parallel-calls must be between 1 and " + MAX_PARALLEL_CALLS + ", not " + config.parallelCalls());
        }
        return problems;
    }
}
