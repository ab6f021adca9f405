package dev.ledgerhook.reliability.storm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the SDK fault interceptor recorded inside the function processes: per event key, the claims
 * and take-overs won and the messages sent; the faults injected by kind; the kills by window; and in
 * how many processes it was loaded (the proof that Quarkus' clients picked it up).
 */
final class FaultLog {

    final Map<String, int[]> perKey = new HashMap<>(); // claims, takeovers, sends, lost responses
    final Map<String, Integer> faults = new TreeMap<>();
    final Map<String, Integer> surfaced = new TreeMap<>();
    final Map<String, Integer> kills = new TreeMap<>();
    final Map<String, Integer> loadedIn = new TreeMap<>();
    int deadLetterSends;

    static final int CLAIMS = 0;
    static final int TAKEOVERS = 1;
    static final int SENDS = 2;
    static final int LOST = 3;

    static FaultLog read(Path directory, String eventsQueueName) {
        FaultLog log = new FaultLog();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                String function = file.getFileName().toString().replaceAll("-\\d+\\.log$", "");
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    log.add(function, line, eventsQueueName);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return log;
    }

    private void add(String function, String line, String eventsQueueName) {
        String[] part = line.split(" ", 5);
        if (part.length < 2) {
            return; // a line cut by a SIGKILL
        }
        switch (part[1]) {
            case "loaded" -> loadedIn.merge(function, 1, Integer::sum);
            case "claim" -> count(part, 2, CLAIMS);
            case "takeover" -> count(part, 2, TAKEOVERS);
            case "send" -> {
                if (part.length > 3 && part[2].equals(eventsQueueName)) {
                    count(part, 3, SENDS);
                } else {
                    deadLetterSends++;
                }
            }
            case "fault" -> {
                faults.merge(part[2], 1, Integer::sum);
                if (part[2].equals("sqs-response-lost") && part.length > 4) {
                    for (String key : part[4].split(",")) {
                        perKey.computeIfAbsent(key, k -> new int[4])[LOST]++;
                    }
                }
            }
            case "surfaced" -> surfaced.merge(part[2], 1, Integer::sum);
            case "kill" -> kills.merge(part[2], 1, Integer::sum);
            default -> { }
        }
    }

    private void count(String[] part, int at, int what) {
        if (part.length > at) {
            perKey.computeIfAbsent(part[at], k -> new int[4])[what]++;
        }
    }

    int[] of(String pk) {
        return perKey.getOrDefault(pk, new int[4]);
    }
}
