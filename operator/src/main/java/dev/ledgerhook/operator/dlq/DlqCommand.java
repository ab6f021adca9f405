package dev.ledgerhook.operator.dlq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ledgerhook.operator.LedgerhookCommand;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ledgerhook dlq list|redrive}. */
@Command(name = "dlq", description = "List the dead-letter queue, or redrive it to the events queue (safe by design).")
public final class DlqCommand {

    private static final List<String> COLUMNS = List.of("messageId", "tenant", "source", "eventKey", "eventType",
            "errorCode", "sentAt", "errorMessage");

    @ParentCommand
    LedgerhookCommand root;

    @Command(name = "list", description = "Dead-lettered events with the reason the worker gave.")
    int list(@Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}).") int limit) {
        List<Map<String, ?>> rows = new ArrayList<>();
        new DeadLetters(root.connection(), root.output()).list(limit).forEach(letter -> rows.add(row(letter)));
        root.output().table(COLUMNS, rows, "the dead-letter queue is empty");
        return 0;
    }

    static final class Which {
        @Option(names = "--all", required = true, description = "Every message in the dead-letter queue.")
        boolean all;

        @Parameters(paramLabel = "<message id>", description = "One message, as `dlq list` shows it.")
        String messageId;
    }

    @Command(name = "redrive", description = {
            "Send dead-lettered messages back to the events queue: `--all`, or one <message id>.",
            "A completed event is skipped by the worker; anything else is applied once."})
    int redrive(@ArgGroup(exclusive = true, multiplicity = "1") Which which) {
        int moved = new DeadLetters(root.connection(), root.output()).redriveById(which.all ? null : which.messageId);
        if (!which.all && moved == 0) {
            throw new IllegalArgumentException("no message " + which.messageId + " in the dead-letter queue (see `ledgerhook dlq list`)");
        }
        root.output().message("redriven " + moved + (moved == 1 ? " message" : " messages") + " to the events queue",
                Map.of("redriven", moved));
        return 0;
    }

    private static Map<String, ?> row(DeadLetters.DeadLetter letter) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("messageId", letter.message().messageId());
        letter.envelope().ifPresentOrElse(envelope -> {
            row.put("tenant", envelope.id().tenant());
            row.put("source", envelope.id().source());
            row.put("eventKey", envelope.id().eventKey());
            row.put("eventType", envelope.eventType());
        }, () -> row.put("eventKey", "(unreadable envelope)"));
        row.put("errorCode", letter.errorCode().isEmpty() ? "max-receives" : letter.errorCode());
        String sent = letter.message().attributesAsStrings().get("SentTimestamp");
        row.put("sentAt", sent == null ? "" : Instant.ofEpochMilli(Long.parseLong(sent)).toString());
        row.put("errorMessage", letter.errorMessage());
        return row;
    }
}
