package dev.ledgerhook.reliability.storm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The storm's figures and the invariant violations found; {@link #passed()} only without any. */
final class StormReport {

    long events;
    long deliveries;
    long plannedDuplicates;
    long duplicatesDetected;
    long receivedAnswers;
    long attempts;
    Map<Integer, Long> answers = Map.of();
    long connectionErrors;
    List<Long> ackLatenciesMicros = List.of();
    Duration sending = Duration.ZERO;
    Duration wall = Duration.ZERO;
    int dlqBefore;
    int dlqAfter;
    int redriven;
    Map<String, Integer> randomKills = Map.of();
    Map<String, Integer> windowKills = Map.of();
    Map<String, Integer> sdkFaults = Map.of();
    Map<String, Integer> sdkFaultsSurfaced = Map.of();
    Map<String, Integer> interceptorLoadedIn = Map.of();
    long simulatorFaulted;
    long simulatorThrottled;
    long simulatorRequests;
    int reversedCustomers;
    int versionedCustomers;
    int staleVersions;
    Map<String, Integer> finalStates = Map.of();
    int ackedNotAccounted;
    int unexpectedEventRecords;
    long expectedEffects;
    long effects;
    long missing;
    long doubled;
    int unexpectedEffects;
    int mirroredEntities;
    final Map<String, String> createsByEntity = new TreeMap<>();
    int messagesSent;
    Map<String, Integer> resends = Map.of();
    int sendsBeyondDesign;
    int neverEnqueued;
    final List<String> violations = new ArrayList<>();

    boolean passed() {
        return violations.isEmpty();
    }

    long percentileMillis(double percentile) {
        if (ackLatenciesMicros.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(ackLatenciesMicros);
        Collections.sort(sorted);
        int at = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return Math.round(sorted.get(Math.max(0, Math.min(sorted.size() - 1, at))) / 1000.0);
    }

    String table() {
        StringBuilder out = new StringBuilder();
        row(out, "result", passed() ? "PASSED" : "FAILED (" + violations.size() + " violations)");
        row(out, "unique events", Long.toString(events));
        row(out, "deliveries", deliveries + " (" + plannedDuplicates + " duplicates, " + percent(plannedDuplicates, deliveries) + ")");
        row(out, "duplicates detected", duplicatesDetected + " answered as duplicates (" + percent(duplicatesDetected, deliveries)
                + " of deliveries, " + percent(duplicatesDetected, plannedDuplicates) + " of the duplicates)");
        row(out, "HTTP attempts", attempts + " " + answers + ", connection errors " + connectionErrors);
        row(out, "ack latency", "p50 " + percentileMillis(50) + " ms, p99 " + percentileMillis(99) + " ms (2xx answers, at the provider)");
        row(out, "final states", finalStates + "; 2xx events not accounted for " + ackedNotAccounted
                + "; records not sent by the storm " + unexpectedEventRecords);
        row(out, "effects", effects + "/" + expectedEffects + " expected entities; missing " + missing + ", doubled " + doubled
                + ", unexpected " + unexpectedEffects);
        row(out, "creates (/sim/stats)", createsByEntity.toString());
        row(out, "out-of-order versions", versionedCustomers + " customers in several versions (" + reversedCustomers
                + " newest first); stale " + staleVersions);
        row(out, "entity mirror", mirroredEntities + " QuickBooks entities mirrored");
        row(out, "SQS messages", messagesSent + " to the events queue for " + events + " events; re-sends " + resends
                + "; beyond the design " + sendsBeyondDesign + "; never enqueued " + neverEnqueued);
        row(out, "DLQ", dlqBefore + " before redrive, " + redriven + " redriven, " + dlqAfter + " after");
        row(out, "kills (SIGKILL)", "random " + randomKills + ", at windows " + windowKills);
        row(out, "injected (SDK)", "attempts " + sdkFaults + ", surfaced to the code " + sdkFaultsSurfaced
                + ", interceptor loaded in " + interceptorLoadedIn + " processes");
        row(out, "injected (simulator)", simulatorFaulted + " 5xx/time-outs, " + simulatorThrottled + " 429s of " + simulatorRequests
                + " API calls");
        row(out, "time", "sending " + sending.toSeconds() + " s, storm to quiescence " + wall.toSeconds() + " s");
        for (String violation : violations) {
            out.append("  VIOLATION ").append(violation).append('\n');
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format("  %-22s %s%n", name, value));
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format("%.1f%%", 100.0 * part / whole);
    }
}
