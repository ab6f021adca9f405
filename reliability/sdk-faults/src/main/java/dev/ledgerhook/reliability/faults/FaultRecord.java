package dev.ledgerhook.reliability.faults;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's record: one line per claim, take-over, send, fault and kill, written straight to
 * the file (no buffer in the JVM), so a line written before a SIGKILL survives it.
 *
 * <p>A plain {@link FileOutputStream}, not a {@code FileChannel}: a channel is interruptible, and
 * SmallRye's time-out interrupts worker threads, so one interrupted write closed the channel for
 * the whole process and every later line failed the AWS call it was recorded in with a
 * {@code ClosedChannelException} (seen as 164 spurious worker retries in a full storm).
 */
final class FaultRecord {

    private final FileOutputStream out;
    private final FaultSettings settings;

    private FaultRecord(FileOutputStream out, FaultSettings settings) {
        this.out = out;
        this.settings = settings;
    }

    static FaultRecord open(FaultSettings settings) {
        try {
            Files.createDirectories(settings.directory());
            Path file = settings.directory().resolve(settings.function() + "-" + ProcessHandle.current().pid() + ".log");
            FaultRecord record = new FaultRecord(new FileOutputStream(file.toFile(), true), settings);
            record.line("loaded " + settings);
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault record under " + settings.directory(), e);
        }
    }

    synchronized void line(String line) {
        try {
            out.write((System.currentTimeMillis() + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes one of the run's kill slots for {@code window}; false when all are taken (files survive the kill). */
    boolean takeKillSlot(String window) {
        for (int slot = 1; slot <= settings.killCap(); slot++) {
            try {
                Files.createFile(settings.directory().resolve("kill-" + window + "-" + slot));
                return true;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // next slot
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
