package dev.ledgerhook.outcomes;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * What a piece of work printed on standard output, where {@link OutcomeLog} writes its lines. The
 * stream is swapped for the whole JVM while the work runs, so its pool threads are caught too.
 */
public record PrintedLines<T>(T value, String text) {

    public static <T> PrintedLines<T> during(Callable<T> work) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            T value = work.call();
            return new PrintedLines<>(value, printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(console);
        }
    }
}
