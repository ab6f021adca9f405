package dev.ledgerhook.worker.mappings;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.queue.EventEnvelope;

/**
 * QuickBooks change notifications, legacy ({@code realmId}, {@code name}, {@code id},
 * {@code operation}) and CloudEvents ({@code intuitaccountid}, {@code qbo.customer.updated.v1},
 * {@code intuitentityid}): read the changed entity and mirror its current state. Each names its
 * company: an app's webhook carries the changes of every company connected to the app.
 */
@ApplicationScoped
public class QuickBooksMapping implements EventMapping {

    @Override
    public SourceType type() {
        return SourceType.QUICKBOOKS;
    }

    @Override
    public MappingResult map(EventEnvelope event) {
        JsonNode body = Payloads.parse(event.payload());
        if (body.has("intuitentityid")) {
            String[] type = Payloads.text(body, "type").split("\\.");
            if (type.length < 3) {
                throw new IllegalArgumentException("CloudEvent type is not qbo.<entity>.<operation>.<version>");
            }
            return new MappingResult.Mirror(Payloads.text(body, "intuitaccountid"), type[1],
                    Payloads.text(body, "intuitentityid"), type[2].toLowerCase(Locale.ROOT).startsWith("delete"),
                    event.version());
        }
        String operation = Payloads.text(body, "operation");
        return new MappingResult.Mirror(Payloads.text(body, "realmId"), Payloads.text(body, "name"),
                Payloads.text(body, "id"), operation.equalsIgnoreCase("Delete"), event.version());
    }
}
