package dev.ledgerhook.operator.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.ledger.EventStatus;
import dev.ledgerhook.operator.LedgerhookCommand;
import dev.ledgerhook.operator.Output;
import dev.ledgerhook.operator.StackConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** {@code ledgerhook events list <tenant> [--state S] [--older-than N]}. */
@Command(name = "events", description = "List a tenant's events by state.")
public final class EventsCommand {

    private static final List<String> COLUMNS = List.of("source", "eventKey", "eventType", "status", "attempts",
            "receivedAt", "lastErrorCode");

    @ParentCommand
    LedgerhookCommand root;

    @Command(name = "list", description = {
            "List a tenant's events, e.g. `events list acme --state FAILED`, or events stuck in",
            "PROCESSING for more than 10 minutes: `events list acme --state PROCESSING --older-than 10`."})
    int list(@Parameters(paramLabel = "<tenant>") String tenant,
             @Option(names = "--state", description = "RECEIVED, ENQUEUED, PROCESSING, COMPLETED, FAILED or SKIPPED.") EventStatus state,
             @Option(names = "--older-than", paramLabel = "<minutes>",
                     description = "Only events that entered their state (PROCESSING: started) more than this many minutes ago.") Long minutes,
             @Option(names = "--limit", defaultValue = "100", description = "At most this many events (default ${DEFAULT-VALUE}).") int limit) {
        if (!EventId.NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant name must match " + EventId.NAME.pattern() + ": " + tenant);
        }
        List<Map<String, AttributeValue>> items = scan(root.connection(), root.output(), filter(tenant, state, minutes), limit);
        List<Map<String, ?>> rows = new ArrayList<>();
        items.forEach(item -> rows.add(EventView.of(item)));
        root.output().table(COLUMNS, rows, "no events of " + tenant + (state == null ? "" : " in " + state)
                + (minutes == null ? "" : " older than " + minutes + " min"));
        return 0;
    }

    private record Filter(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    }

    private static Filter filter(String tenant, EventStatus state, Long minutes) {
        StringBuilder expression = new StringBuilder("begins_with(pk, :prefix)");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":prefix", AttributeValue.fromS(tenant + "#"));
        if (state != null) {
            expression.append(" AND #status = :state");
            names.put("#status", "status");
            values.put(":state", AttributeValue.fromS(state.name()));
        }
        if (minutes != null) {
            String since = state == EventStatus.PROCESSING ? "startedAt" : "receivedAt";
            expression.append(" AND ").append(since).append(" < :cutoff");
            long cutoff = System.currentTimeMillis() - Duration.ofMinutes(minutes).toMillis();
            values.put(":cutoff", AttributeValue.fromN(Long.toString(cutoff)));
        }
        return new Filter(expression.toString(), names, values);
    }

    /** Pages through the table; a long scan reports its progress on standard error. */
    private static List<Map<String, AttributeValue>> scan(StackConnection connection, Output output, Filter filter, int limit) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        long scanned = 0;
        int pages = 0;
        for (ScanResponse page : connection.dynamoDb().scanPaginator(scan -> scan
                // eventually consistent: a listing for a person, who runs it again to see a write of the last second
                .tableName(connection.resources().eventsTable())
                .filterExpression(filter.expression())
                .expressionAttributeNames(filter.names().isEmpty() ? null : filter.names())
                .expressionAttributeValues(filter.values()))) {
            scanned += page.scannedCount();
            found.addAll(page.items());
            if (++pages > 1) {
                output.progress("scanned " + scanned + " events, " + found.size() + " match");
            }
            if (found.size() >= limit) {
                break;
            }
        }
        found.sort((a, b) -> Long.compare(EventView.millis(a, "receivedAt"), EventView.millis(b, "receivedAt")));
        return found.subList(0, Math.min(limit, found.size()));
    }
}
