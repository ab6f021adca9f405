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
        assertEquals(List.of(), StartupChecks.problems(config(262_144, Duration.ofSeconds(30), Duration.ofDays(30)),
                new WebhookProviders()));
    }

    @Test
    void aBodyLimitAboveTheQueueLimitALeaseShorterThanTheTimeoutAndAShortRetentionAreRejected() {
        List<String> problems = StartupChecks.problems(config(1_048_576, Duration.ofSeconds(5), Duration.ofDays(1)),
                new WebhookProviders());
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("max-body-bytes"));
        assertTrue(problems.get(1).contains("claim-lease"));
        assertTrue(problems.get(2).contains("default-retention"));
    }

    private static IngestConfig config(int maxBody, Duration lease, Duration retention) {
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
        };
    }
}
