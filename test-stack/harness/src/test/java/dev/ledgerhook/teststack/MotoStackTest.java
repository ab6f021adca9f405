package dev.ledgerhook.teststack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** moto as the harness runs it: its environment, its death with the parent, and what a data directory keeps. */
class MotoStackTest {

    private static final String EVENTS = StackDefinition.EVENTS_TABLE.nameFor(StackDefinition.DEFAULT_STACK_NAME);

    @Test
    void tablesItemsAndTtlSurviveACleanStopAndAKill(@TempDir Path data) {
        try (EmbeddedEmulators first = EmbeddedEmulators.start(EmulatorProcess.freePort(), EmulatorProcess.freePort(),
                Optional.of(data))) {
            try (DynamoDbClient dynamoDb = first.dynamoDb(); var sqs = first.sqs()) {
                new StackProvisioner(dynamoDb, sqs).provision(StackDefinition.DEFAULT_STACK_NAME);
                put(dynamoDb, "kept#1", "first");
                put(dynamoDb, "kept#2", "first");
                put(dynamoDb, "kept#1", "overwritten");
                dynamoDb.deleteItem(delete -> delete.tableName(EVENTS).key(key("kept#2")));
            }
        }
        try (EmbeddedEmulators second = EmbeddedEmulators.start(EmulatorProcess.freePort(), EmulatorProcess.freePort(),
                Optional.of(data)); DynamoDbClient dynamoDb = second.dynamoDb()) {
            assertState(dynamoDb, Map.of("kept#1", "overwritten"));
            put(dynamoDb, "after-restart", "second");
            second.dynamoDbProcess().kill(); // SIGKILL: the journal line was flushed when the write was answered
        }
        try (EmbeddedEmulators third = EmbeddedEmulators.start(EmulatorProcess.freePort(), EmulatorProcess.freePort(),
                Optional.of(data)); DynamoDbClient dynamoDb = third.dynamoDb()) {
            assertState(dynamoDb, Map.of("kept#1", "overwritten", "after-restart", "second"));
            assertEquals(TimeToLiveStatus.ENABLED, dynamoDb.describeTimeToLive(ttl -> ttl.tableName(EVENTS))
                    .timeToLiveDescription().timeToLiveStatus());
            assertEquals(StackDefinition.tables().size(), dynamoDb.listTables().tableNames().size(),
                    "every table of the stack, and nothing else, is there again");
        }
    }

    @Test
    void motoExitsWhenItsParentGoes() throws Exception {
        Path python = MotoEnvironment.configured().ensure();
        int port = EmulatorProcess.freePort();
        Process moto = new ProcessBuilder(python.toString(), MotoEnvironment.launcher().toString(), "--port",
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitPort(port);
            moto.getOutputStream().close(); // what the OS does to the pipe when the parent JVM dies, SIGKILL included
            assertTrue(moto.waitFor(10, TimeUnit.SECONDS), "moto outlived its parent");
        } finally {
            moto.destroyForcibly();
        }
    }

    @Test
    void aMachineWithoutPythonIsToldWhatToInstall(@TempDir Path home) {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new MotoEnvironment(home.resolve("no-such-python3").toString(), home).ensure());
        assertTrue(missing.getMessage().contains("needs Python 3.10 or newer"), missing.getMessage());
        assertTrue(missing.getMessage().contains("apt-get install python3 python3-venv"), missing.getMessage());
        assertTrue(missing.getMessage().contains("LEDGERHOOK_PYTHON"), missing.getMessage());
    }

    @Test
    void aTooOldPythonIsNamed(@TempDir Path home) throws IOException {
        Path oldPython = home.resolve("python3");
        Files.writeString(oldPython, "#!/bin/sh\necho 3.8\n");
        Files.setPosixFilePermissions(oldPython, PosixFilePermissions.fromString("rwx------"));
        IllegalStateException old = assertThrows(IllegalStateException.class,
                () -> new MotoEnvironment(oldPython.toString(), home).ensure());
        assertTrue(old.getMessage().contains("is Python 3.8"), old.getMessage());
    }

    private static void assertState(DynamoDbClient dynamoDb, Map<String, String> expected) {
        List<Map<String, AttributeValue>> items = dynamoDb.scan(scan -> scan.tableName(EVENTS).consistentRead(true)).items();
        assertEquals(expected.size(), items.size(), "items after the restart: " + items);
        for (Map<String, AttributeValue> item : items) {
            assertEquals(expected.get(item.get("pk").s()), item.get("value").s(), "item " + item);
        }
    }

    private static void put(DynamoDbClient dynamoDb, String pk, String value) {
        dynamoDb.putItem(put -> put.tableName(EVENTS).item(Map.of("pk", AttributeValue.fromS(pk),
                "value", AttributeValue.fromS(value))));
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto did not listen on " + port);
    }
}
