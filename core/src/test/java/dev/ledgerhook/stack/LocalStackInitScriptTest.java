package dev.ledgerhook.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/** infra/localstack/init-stack.sh creates what StackDefinition defines, for users running LocalStack by hand. */
class LocalStackInitScriptTest {

    @Test
    void theInitScriptCreatesEveryTableAndQueueWithTheirKeysTtlAndRedrive() throws IOException {
        String script = Files.readString(SamTemplate.repositoryRoot().resolve("infra/localstack/init-stack.sh"));
        for (TableSpec table : StackDefinition.tables()) {
            String create = script.substring(script.indexOf("--table-name \"$STACK-" + table.baseName() + "\" --billing-mode"));
            String line = create.substring(0, create.indexOf("\n\n"));
            assertTrue(line.contains("AttributeName=" + table.partitionKey() + ",KeyType=HASH"), table.baseName());
            table.sortKey().ifPresent(sk -> assertTrue(line.contains("AttributeName=" + sk + ",KeyType=RANGE"), table.baseName()));
            table.ttlAttribute().ifPresent(ttl -> assertTrue(line.contains("AttributeName=" + ttl), table.baseName() + " TTL"));
        }
        for (QueueSpec queue : StackDefinition.queues()) {
            assertTrue(script.contains("--queue-name \"$STACK-" + queue.baseName() + "\""), queue.baseName());
            assertTrue(script.contains("VisibilityTimeout\\\":\\\"" + queue.visibilityTimeoutSeconds())
                    || script.contains("VisibilityTimeout=" + queue.visibilityTimeoutSeconds()), queue.baseName());
            assertTrue(script.contains(Integer.toString(queue.maximumMessageSizeBytes())), queue.baseName());
            queue.redrive().ifPresent(redrive -> assertTrue(
                    script.contains("maxReceiveCount\\\\\\\":\\\\\\\"" + redrive.maxReceiveCount()), queue.baseName()));
        }
    }
}
