package dev.ledgerhook.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.TestStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.sqs.SqsClient;

@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class EventBatchHandlerTest {

    @Inject
    EventBatchHandler handler;

    @Inject
    StackResources resources;

    @Inject
    SqsClient sqs;

    @Test
    void theWorkerBootsAgainstTheTestStackAndFindsItsQueues() {
        String queueUrl = resources.eventsQueueUrl();
        String dlqUrl = resources.eventsDlqUrl();
        assertEquals(resources.eventsQueueUrl(), sqs.getQueueUrl(get -> get.queueName("ledgerhook-events")).queueUrl());
        assertEquals(dlqUrl, sqs.getQueueUrl(get -> get.queueName("ledgerhook-events-dlq")).queueUrl());
        assertEquals(false, queueUrl.equals(dlqUrl));
    }

    @Test
    void untilTheWorkerLandsNoMessageIsAcknowledged() {
        SQSEvent.SQSMessage first = message("m-1");
        SQSEvent.SQSMessage second = message("m-2");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(first, second));

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertEquals(List.of("m-1", "m-2"),
                response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    private static SQSEvent.SQSMessage message(String id) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody("{}");
        return message;
    }
}
