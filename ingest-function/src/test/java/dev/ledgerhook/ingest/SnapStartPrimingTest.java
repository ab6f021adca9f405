package dev.ledgerhook.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.TestStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What runs before a SnapStart snapshot: every step, and nothing written or sent. */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class SnapStartPrimingTest {

    @Inject
    SnapStartPriming priming;
    @Inject
    SqsClient sqs;
    @Inject
    StackResources resources;

    @Test
    void primingRunsEveryStepAndSendsNothing() {
        int queuedBefore = queued();

        int steps = priming.prime();

        assertEquals(9, steps, "tenant lookup, six refused verifications, Stripe parsing, the refused send");
        assertEquals(queuedBefore, queued(), "priming put nothing on the events queue");
    }

    private int queued() {
        return Integer.parseInt(sqs.getQueueAttributes(get -> get.queueUrl(resources.eventsQueueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().values().stream().mapToInt(Integer::parseInt).sum() + "");
    }
}
