package dev.ledgerhook.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code sam-template.yaml} and {@link StackDefinition} describe the same tables and queues. */
class SamTemplateConsistencyTest {

    @Test
    void templateDeclaresExactlyTheTablesAndQueuesTheCodeUses() throws IOException {
        List<String> problems = SamTemplate.load().disagreementsWith(StackDefinition.tables(), StackDefinition.queues());
        assertEquals(List.of(), problems);
    }

    @Test
    void queueVisibilityTimeoutIsAtLeastSixTimesTheWorkerTimeout() throws IOException {
        int workerTimeout = SamTemplate.load().resource("WorkerFunction").path("Properties").path("Timeout").asInt();
        assertEquals(StackDefinition.WORKER_TIMEOUT_SECONDS, workerTimeout);
        assertTrue(StackDefinition.EVENTS_QUEUE.visibilityTimeoutSeconds() >= 6 * workerTimeout);
    }

    @Test
    void aChangedRedrivePolicyTtlAttributeOrKeyIsReported() throws IOException {
        String original = Files.readString(SamTemplate.repositoryRoot().resolve("sam-template.yaml"));
        assertMismatch(original.replace("maxReceiveCount: 5", "maxReceiveCount: 3"), "maxReceiveCount");
        assertMismatch(original.replace("AttributeName: expiresAt", "AttributeName: ttl"), "TTL attribute");
        assertMismatch(original.replace("deadLetterTargetArn: !GetAtt EventsDeadLetterQueue.Arn",
                "deadLetterTargetArn: !GetAtt EventsQueue.Arn"), "deadLetterTargetArn");
        assertMismatch(original.replace("${AWS::StackName}-events-dlq", "${AWS::StackName}-dead-letters"), "events-dlq");
        assertMismatch(original.replace("          KeyType: RANGE", "          KeyType: HASH"), "range key");
    }

    private static void assertMismatch(String template, String expectedInProblem) throws IOException {
        List<String> problems = new SamTemplate(template)
                .disagreementsWith(StackDefinition.tables(), StackDefinition.queues());
        assertTrue(problems.stream().anyMatch(p -> p.contains(expectedInProblem)),
                "expected a problem mentioning '" + expectedInProblem + "', got " + problems);
    }
}
