package dev.ledgerhook.worker;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.stack.StackResources;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Sends a message that can never succeed as it is straight to the DLQ, with the reason in its
 * attributes ({@code errorCode}, {@code errorMessage}, {@code originalMessageId}), so an operator
 * sees why without searching logs, and replay after a fix is one redrive.
 */
@ApplicationScoped
public class DeadLetters {

    private final SqsClient sqs;
    private final StackResources resources;

    public DeadLetters(SqsClient sqs, StackResources resources) {
        this.sqs = sqs;
        this.resources = resources;
    }

    public void send(String body, String originalMessageId, String code, String message) {
        sqs.sendMessage(send -> send.queueUrl(resources.eventsDlqUrl()).messageBody(body).messageAttributes(Map.of(
                "errorCode", text(code),
                "errorMessage", text(message.length() > 1000 ? message.substring(0, 1000) : message),
                "originalMessageId", text(originalMessageId))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value == null || value.isEmpty() ? "-" : value).build();
    }
}
