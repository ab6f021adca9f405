package dev.ledgerhook.local;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the local default shows on the console from the functions' output: each outcome line
 * (the EMF JSON the functions log) condensed to one readable line, warnings and errors as they
 * are (the functions' JSON log records as one line each), container restarts. Everything stays in the log files.
 */
final class ConsoleLog implements Consumer<String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean quiet;

    ConsoleLog(boolean quiet) {
        this.quiet = quiet;
    }

    @Override
    public void accept(String line) {
        if (quiet) {
            return;
        }
        int json = line.indexOf("] {");
        if (json >= 0) {
            outcome(line.substring(json + 2)).ifPresent(ConsoleLog::print);
        } else if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("starting a new container")
                || line.startsWith("[event-source]")) {
            print(line);
        }
    }

    private static java.util.Optional<String> outcome(String text) {
        try {
            JsonNode record = JSON.readTree(text);
            if (!record.has("outcome")) {
                return logRecord(record);
            }
            StringBuilder line = new StringBuilder(String.format("%-7s %-14s %s/%s %s", record.path("function").asText(),
                    record.path("outcome").asText(), record.path("tenant").asText("-"), record.path("source").asText("-"),
                    record.path("eventKey").asText("")));
            append(line, record, "eventType");
            append(line, record, "accountingIds");
            append(line, record, "errorCode");
            append(line, record, "error");
            if (record.has("LatencyMs")) {
                line.append(" (").append(record.path("LatencyMs").asLong()).append(" ms)");
            }
            return java.util.Optional.of(line.toString());
        } catch (Exception notJson) {
            return java.util.Optional.empty();
        }
    }

    /** A JSON log record of the functions (their prod profile logs JSON): warnings and errors only. */
    private static java.util.Optional<String> logRecord(JsonNode record) {
        String level = record.path("level").asText("");
        if (!level.equals("WARN") && !level.equals("WARNING") && !level.equals("ERROR") && !level.equals("FATAL")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(level + " [" + record.path("loggerName").asText("") + "] " + record.path("message").asText(""));
    }

    private static void append(StringBuilder line, JsonNode record, String field) {
        String value = record.path(field).asText("");
        if (!value.isEmpty()) {
            line.append(' ').append(field).append('=').append(value);
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
    }
}
