package dev.ledgerhook.reliability.storm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CI-sized storm: 250 unique events with every fault of the full-size run and a denser kill
 * cadence, so a few minutes hold kills at both critical windows. Fails on any invariant violation.
 */
class StormIT {

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void nothingLostNothingDoubledUnderDuplicatesFaultsAndKills() throws Exception {
        StormSettings settings = StormSettings.fullSize(Path.of("target", "storm-it")).withEvents(250)
                .withKills(Duration.ofSeconds(12), 0.05, 2).withDrainTimeout(Duration.ofMinutes(3));
        StormReport report = new Storm(settings, System.out::println).run();
        System.out.println(report.table());

        assertTrue(report.passed(), report.table());
        assertTrue(report.windowKills.getOrDefault("claim-send", 0) >= 1, "killed between claim and send: " + report.table());
        assertTrue(report.windowKills.getOrDefault("call-completed", 0) >= 1, "killed between call and COMPLETED: " + report.table());
        assertTrue(report.randomKills.values().stream().mapToInt(Integer::intValue).sum() >= 1, report.table());
        assertTrue(report.simulatorFaulted > 0 && report.simulatorThrottled > 0, report.table());
        assertTrue(report.sdkFaults.getOrDefault("dynamodb-throttle", 0) > 0, "the interceptor throttled DynamoDB: " + report.table());
        assertTrue(report.duplicatesDetected > 0, report.table());
    }
}
