package dev.ledgerhook.operator.events;

import java.util.Map;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.operator.LedgerhookCommand;
import dev.ledgerhook.operator.StackConnection;
import dev.ledgerhook.operator.dlq.DeadLetters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code ledgerhook event show|replay <tenant> <source> <key>}. */
@Command(name = "event", description = "Show one event's state, or replay it from the dead-letter queue.")
public final class EventCommand {

    @ParentCommand
    LedgerhookCommand root;

    @Command(name = "show", description = "State, attempts, timestamps, accounting ids and last error of one event.")
    int show(@Parameters(paramLabel = "<tenant>") String tenant, @Parameters(paramLabel = "<source>") String source,
             @Parameters(paramLabel = "<key>", description = "The event key, e.g. evt_... for Stripe.") String key) {
        Map<String, AttributeValue> item = read(root.connection(), new EventId(tenant, source, key));
        root.output().record(EventView.of(item));
        return 0;
    }

    @Command(name = "replay", description = {
            "Send a dead-lettered event back to the events queue. Safe by design: a completed event is",
            "skipped by the worker, anything else is applied once whatever happened before."})
    int replay(@Parameters(paramLabel = "<tenant>") String tenant, @Parameters(paramLabel = "<source>") String source,
               @Parameters(paramLabel = "<key>") String key) {
        StackConnection connection = root.connection();
        EventId id = new EventId(tenant, source, key);
        Map<String, AttributeValue> item = read(connection, id);
        String status = item.get("status").s();
        int replayed = new DeadLetters(connection, root.output()).redrive(envelope -> envelope.id().equals(id));
        if (replayed > 0) {
            root.output().message("replayed " + id.pk() + " (was " + status + "); follow it with `ledgerhook event show "
                    + tenant + " " + source + " " + key + "`", Map.of("event", id.pk(), "replayed", replayed, "status", status));
            return 0;
        }
        root.output().message(id.pk() + " is " + status + " and not in the dead-letter queue: "
                + explanation(status), Map.of("event", id.pk(), "replayed", 0, "status", status));
        return 1;
    }

    private static String explanation(String status) {
        return switch (status) {
            case "COMPLETED", "SKIPPED" -> "it is finished; a replay would be skipped by the worker";
            case "RECEIVED", "ENQUEUED", "PROCESSING" -> "its message is still on the events queue and SQS will deliver it again";
            default -> "its message has left the dead-letter queue (redriven, or past its 14-day retention)";
        };
    }

    static Map<String, AttributeValue> read(StackConnection connection, EventId id) {
        Map<String, AttributeValue> item = connection.events().read(id);
        if (item == null || item.isEmpty()) {
            throw new IllegalArgumentException("no event " + id.pk() + " (keys are kept for the source's retention, 30 days by default)");
        }
        return item;
    }
}
