package dev.ledgerhook.reliability.storm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.MalformedEnvelopeException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * After the storm: wait until the events queue is empty (nothing visible, nothing in flight), and
 * redrive the dead-letter queue's poison-free messages, the operator's way (send to the events
 * queue first, delete from the DLQ after: a crash in between leaves a copy in both, never none).
 * Poison is what no redrive can fix: an envelope that does not decode (LH-ENVELOPE).
 */
final class Drain {

    private final SqsClient sqs;
    private final String queueUrl;
    private final String dlqUrl;
    private final Consumer<String> out;

    Drain(SqsClient sqs, String queueUrl, String dlqUrl, Consumer<String> out) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.dlqUrl = dlqUrl;
        this.out = out;
    }

    void awaitQuiet(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        int quietPolls = 0;
        long lastReport = 0;
        while (quietPolls < 3) {
            int[] depth = depth(queueUrl);
            quietPolls = depth[0] + depth[1] == 0 ? quietPolls + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the events queue did not empty within " + limit.toSeconds() + " s: "
                        + depth[0] + " visible, " + depth[1] + " in flight");
            }
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                out.accept("[storm] queue: " + depth[0] + " visible, " + depth[1] + " in flight; DLQ " + deadLetters());
                lastReport = System.nanoTime();
            }
            ProviderSender.sleep(2_000);
        }
    }

    int deadLetters() {
        int[] depth = depth(dlqUrl);
        return depth[0] + depth[1];
    }

    int redrivePoisonFree() {
        int moved = 0;
        for (int empty = 0; empty < 2; ) {
            List<Message> batch = sqs.receiveMessage(receive -> receive.queueUrl(dlqUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(300).waitTimeSeconds(0).messageAttributeNames("All")).messages();
            empty = batch.isEmpty() ? empty + 1 : 0;
            for (Message message : batch) {
                if (poison(message)) {
                    continue; // stays (invisible for 5 minutes, counted by deadLetters())
                }
                sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(message.body()));
                sqs.deleteMessage(delete -> delete.queueUrl(dlqUrl).receiptHandle(message.receiptHandle()));
                moved++;
            }
        }
        return moved;
    }

    private static boolean poison(Message message) {
        MessageAttributeValue code = message.messageAttributes().get("errorCode");
        if (code != null && "LH-ENVELOPE".equals(code.stringValue())) {
            return true;
        }
        try {
            EnvelopeCodec.decode(message.body());
            return false;
        } catch (MalformedEnvelopeException | RuntimeException unreadable) {
            return true;
        }
    }

    private int[] depth(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(get -> get.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return new int[] {Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))};
    }
}
