package dev.ledgerhook.stack;

import java.util.Optional;

/**
 * One SQS queue as the code relies on it, mirrored in {@code sam-template.yaml}.
 *
 * @param baseName                 the name without the stack prefix
 * @param visibilityTimeoutSeconds at least six times the worker's timeout (AWS's advice for
 *                                 event source mappings), so a batch in flight is never redelivered
 * @param messageRetentionSeconds  how long an unconsumed message lives
 * @param maximumMessageSizeBytes  the largest envelope accepted
 * @param redrive                  where a message goes after too many receives
 */
public record QueueSpec(String baseName, int visibilityTimeoutSeconds, int messageRetentionSeconds,
                        int maximumMessageSizeBytes, Optional<Redrive> redrive) {

    /** A redrive policy: after {@code maxReceiveCount} receives SQS moves the message to the DLQ. */
    public record Redrive(String deadLetterQueueBaseName, int maxReceiveCount) {
    }

    public String nameFor(String stackName) {
        return stackName + "-" + baseName;
    }
}
