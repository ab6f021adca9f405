package dev.ledgerhook.teststack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;
import dev.ledgerhook.teststack.TestStacks;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Pins what the pipeline relies on from SQS: a message not deleted comes back after its visibility
 * timeout, and after {@code maxReceiveCount} receives the redrive policy moves it to the DLQ.
 * Each test provisions its own queue pair from {@link StackDefinition}, under a fresh stack name.
 */
class SqsContractTest {

    private static SqsClient sqs;

    @BeforeAll
    static void connect() {
        sqs = TestStacks.shared().sqs();
    }

    @AfterAll
    static void disconnect() {
        sqs.close();
    }

    @Test
    void aMessageNotDeletedIsRedeliveredAfterItsVisibilityTimeout() throws InterruptedException {
        String queue = provisionQueues().get(0);
        sqs.sendMessage(send -> send.queueUrl(queue).messageBody("redeliver-me"));

        Message first = receiveOne(queue);
        assertTrue(receive(queue, 0).isEmpty(), "invisible while its visibility timeout runs");
        Thread.sleep(1_500);
        Message again = receiveOne(queue);

        assertEquals(first.messageId(), again.messageId());
        assertEquals("2", again.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
    }

    @Test
    void aMessageReachesTheDeadLetterQueueAfterMaxReceiveCount() throws Exception {
        List<String> queues = provisionQueues();
        String queue = queues.get(0);
        String deadLetters = queues.get(1);
        assertRedrivePolicyNames(queue, deadLetters);
        sqs.sendMessage(send -> send.queueUrl(queue).messageBody("poison"));

        int receives = 0;
        for (int attempt = 0; attempt < StackDefinition.MAX_RECEIVE_COUNT + 3; attempt++) {
            List<Message> received = receive(queue, 2);
            if (received.isEmpty()) {
                break;
            }
            receives++;
            Thread.sleep(1_100);
        }

        assertEquals(5, receives, "the design's redrive policy: five receives, then the DLQ");
        List<Message> dead = receive(deadLetters, 2);
        assertEquals(1, dead.size());
        assertEquals("poison", dead.get(0).body());
    }

    /**
     * README's AWS-native redrive: {@code start-message-move-task} with the events queue's ARN as
     * destination returns both kinds of dead letter: one SQS moved after maxReceiveCount and one the
     * worker sent itself (a permanent failure), which has no dead-letter source to return to.
     */
    @Test
    void aMoveTaskToTheEventsQueueArnReturnsRedrivenAndSentDeadLetters() throws Exception {
        List<String> queues = provisionQueues();
        String queue = queues.get(0);
        String deadLetters = queues.get(1);
        sqs.sendMessage(send -> send.queueUrl(queue).messageBody("redriven-by-sqs"));
        for (int receives = 0; receives < StackDefinition.MAX_RECEIVE_COUNT; receives++) {
            receiveOne(queue);
            Thread.sleep(1_100);
        }
        assertTrue(receive(queue, 1).isEmpty(), "moved to the DLQ by the redrive policy");
        sqs.sendMessage(send -> send.queueUrl(deadLetters).messageBody("sent-by-the-worker"));

        String task = sqs.startMessageMoveTask(move -> move.sourceArn(arn(deadLetters)).destinationArn(arn(queue)))
                .taskHandle();
        for (int poll = 0; poll < 50 && !moveTaskStatus(deadLetters).equals("COMPLETED"); poll++) {
            Thread.sleep(200);
        }

        assertEquals("COMPLETED", moveTaskStatus(deadLetters), "task " + task);
        List<String> bodies = receive(queue, 2).stream().map(Message::body).sorted().toList();
        assertEquals(List.of("redriven-by-sqs", "sent-by-the-worker"), bodies);
        assertTrue(receive(deadLetters, 0).isEmpty());
    }

    private String moveTaskStatus(String deadLetters) {
        return sqs.listMessageMoveTasks(list -> list.sourceArn(arn(deadLetters))).results().get(0).status();
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(get -> get.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private void assertRedrivePolicyNames(String queue, String deadLetters) throws Exception {
        String policy = sqs.getQueueAttributes(get -> get.queueUrl(queue).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY);
        String deadLetterArn = sqs.getQueueAttributes(get -> get.queueUrl(deadLetters)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        JsonNode redrive = new ObjectMapper().readTree(policy);
        assertEquals(deadLetterArn, redrive.get("deadLetterTargetArn").asText());
        assertEquals(StackDefinition.MAX_RECEIVE_COUNT, redrive.get("maxReceiveCount").asInt());
    }

    /** Returns the events queue URL and its DLQ's URL, under a stack name of their own. */
    private static List<String> provisionQueues() {
        String stack = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        StackProvisioner provisioner = new StackProvisioner(null, sqs);
        String deadLetters = provisioner.createQueue(StackDefinition.EVENTS_DLQ, stack);
        String queue = provisioner.createQueue(StackDefinition.EVENTS_QUEUE, stack);
        return List.of(queue, deadLetters);
    }

    private static Message receiveOne(String queue) {
        List<Message> messages = receive(queue, 2);
        assertEquals(1, messages.size());
        return messages.get(0);
    }

    private static List<Message> receive(String queue, int waitSeconds) {
        return sqs.receiveMessage(receive -> receive.queueUrl(queue)
                .visibilityTimeout(1)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                .maxNumberOfMessages(10)).messages();
    }

}
