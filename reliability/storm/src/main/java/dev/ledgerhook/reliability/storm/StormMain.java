package dev.ledgerhook.reliability.storm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./reliability/run-storm [--events n] ...}: the full-size storm, by default 10,000 unique
 * events. Prints the report, writes it to {@code reliability/storm/target/storm/report.txt}, and exits
 * 1 when an invariant was violated.
 */
public final class StormMain {

    private StormMain() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of("target", "storm");
        StormSettings settings;
        try {
            settings = StormSettings.parse(List.of(args), work);
        } catch (IllegalArgumentException usage) {
            System.err.println(usage.getMessage());
            System.exit(2);
            return;
        }
        StormReport report = new Storm(settings, System.out::println).run();
        String table = report.table();
        System.out.println("[storm] report\n" + table);
        Files.createDirectories(work);
        Files.writeString(work.resolve("report.txt"), table, StandardCharsets.UTF_8);
        System.exit(report.passed() ? 0 : 1);
    }
}
