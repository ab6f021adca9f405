package dev.ledgerhook.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.ledger.EventProgress;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What runs before a SnapStart snapshot: every step, read-only. */
@QuarkusTest
@QuarkusTestResource(WorkerTestResource.class)
class SnapStartPrimingTest {

    @Inject
    SnapStartPriming priming;
    @Inject
    EventProgress progress;

    @Test
    void primingRunsEveryStepAndWritesNothing() {
        int steps = priming.prime();

        assertEquals(5, steps, "GetItem, GetQueueAttributes, the Stripe, Shopify and QuickBooks mappings");
        assertTrue(progress.read(new EventId("priming", "priming", "evt_priming_never_claimed")).isEmpty(),
                "priming created no event record");
    }
}
