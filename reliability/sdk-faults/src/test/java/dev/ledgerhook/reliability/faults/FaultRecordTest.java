package dev.ledgerhook.reliability.faults;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultRecordTest {

    /**
     * The worker's threads are interrupted by SmallRye's time-out while they make AWS calls; a
     * line written by an interrupted thread must neither fail nor stop the lines after it.
     */
    @Test
    void aLineWrittenByAnInterruptedThreadLeavesTheRecordWritable(@TempDir Path directory) throws Exception {
        FaultRecord record = FaultRecord.open(new FaultSettings(directory, "ledgerhook-worker", "events", "queue",
                0, 0, 0, 0, 0));
        Thread interrupted = new Thread(() -> {
            Thread.currentThread().interrupt();
            record.line("written while interrupted");
        });
        interrupted.start();
        interrupted.join();

        assertDoesNotThrow(() -> record.line("written after"));
        try (var files = Files.list(directory)) {
            List<String> lines = Files.readAllLines(files.findFirst().orElseThrow());
            assertEquals(3, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(2).endsWith("written after"));
        }
    }
}
