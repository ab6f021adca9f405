package dev.ledgerhook.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.providers.WebhookProviders;

/** Configuration that would lose or double events is refused before the function serves anything. */
class StartupChecksTest {

    @Test
    void theDefaultsPass() {
        assertEquals(List.of(), StartupChecks.problems(config(262_144, Duration.ofSeconds(30), Duration.ofDays(30), 16),
                new WebhookProviders()));
    }

    @Test
    void aBodyLimitAboveTheQueueLimitALeaseShorterThanTheTimeoutAShortRetentionAndNoParallelCallsAreRejected() {
        List<String> problems = StartupChecks.problems(config(1_048_576, Duration.ofSeconds(5), Duration.ofDays(1), 0),
                new WebhookProviders());
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("max-body-bytes"));
        assertTrue(problems.get(1).contains("claim-lease"));
        assertTrue(problems.get(2).contains("default-retention"));
        assertTrue(problems.get(3).contains("parallel-calls"));
    }

    @Test
    void moreParallelCallsThanTheBoundAreRejected() {
        List<String> problems = StartupChecks.problems(config(262_144, Duration.ofSeconds(30), Duration.ofDays(30), 65),
                new WebhookProviders());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("parallel-calls must be between 1 and 64"));
    }

    private static IngestConfig config(int maxBody, Duration lease, Duration retention, int parallelCalls) {
        return new IngestConfig() {
            @Override
            public int maxBodyBytes() {
                return maxBody;
            }

            @Override
            public Duration claimLease() {
                return lease;
            }

            @Override
            public Duration defaultRetention() {
                return retention;
            }

            @Override
            public int parallelCalls() {
                return parallelCalls;
            }
        };
    }
}
