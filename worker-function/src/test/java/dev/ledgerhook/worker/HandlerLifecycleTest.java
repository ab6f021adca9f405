package dev.ledgerhook.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A warm container serves thousands of invocations. Quarkus' Lambda runtime looks the handler up
 * once per invocation, exactly as here; a handler that built a thread pool per lookup would leave
 * one more idle thread behind every time, until the container ran out of memory.
 */
@QuarkusTest
@QuarkusTestResource(WorkerTestResource.class)
class HandlerLifecycleTest {

    @Test
    void invocationsOfAWarmContainerDoNotLeaveThreadsBehind() {
        for (int i = 0; i < 12; i++) {
            invokeAsTheRuntimeDoes(); // a fixed pool adds a thread per task until it holds all 10
        }
        int before = Thread.activeCount();
        for (int i = 0; i < 30; i++) {
            SQSBatchResponse response = invokeAsTheRuntimeDoes();
            assertEquals(0, response.getBatchItemFailures().size(), "a poison message is acknowledged (dead-lettered)");
        }
        int after = Thread.activeCount();
        assertTrue(after - before < 3, "30 invocations left " + (after - before) + " more live threads (" + before
                + " before, " + after + " after)");
    }

    private static SQSBatchResponse invokeAsTheRuntimeDoes() {
        EventBatchHandler handler = Arc.container().instance(EventBatchHandler.class).get();
        SQSEvent.SQSMessage poison = new SQSEvent.SQSMessage();
        poison.setMessageId(UUID.randomUUID().toString());
        poison.setBody("not an envelope");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(poison));
        return handler.handleRequest(event, null);
    }
}
