package dev.ledgerhook.operator.signing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.ledgerhook.providers.SourceType;

/**
 * A realistic first event for each provider, unique per call, for trying a source out. Stripe and
 * Shopify samples create a customer in the accounting system; the QuickBooks sample notifies a
 * change of customer 1 of the local simulator's demo company; Xero, Standard Webhooks and Finch
 * samples have no accounting mapping and end SKIPPED.
 */
public final class SampleEvents {

    /** A sample: the event id (where a header carries it), the Shopify topic, and the body. */
    public record Sample(String eventId, String topic, String body) {
    }

    public static final String DEMO_REALM = "9130350000000001";

    private SampleEvents() {
    }

    public static Sample of(SourceType type, Instant at) {
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return switch (type) {
            case STRIPE -> new Sample("evt_" + unique, "", """
                    {"id":"evt_%s","object":"event","type":"customer.created","created":%d,"livemode":false,\
                    "data":{"object":{"id":"cus_%s","object":"customer","name":"Demo customer %s","email":"%s@example.com"}}}"""
                    .formatted(unique, at.getEpochSecond(), unique, unique, unique));
            case SHOPIFY -> {
                long id = Long.parseUnsignedLong(unique.substring(0, 12), 16);
                yield new Sample(UUID.randomUUID().toString(), "customers/create", """
                        {"id":%d,"email":"%s@example.com","first_name":"Demo","last_name":"Customer %s","updated_at":"%s"}"""
                        .formatted(id, unique, unique, at.truncatedTo(ChronoUnit.SECONDS)));
            }
            case QUICKBOOKS -> new Sample("", "", """
                    {"eventNotifications":[{"realmId":"%s","dataChangeEvent":{"entities":[\
                    {"name":"Customer","id":"1","operation":"Update","lastUpdated":"%s"}]}}]}"""
                    .formatted(DEMO_REALM, at.truncatedTo(ChronoUnit.MILLIS)));
            case XERO -> new Sample("", "", """
                    {"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/%s","resourceId":"%s",\
                    "eventDateUtc":"%s","eventType":"CREATE","eventCategory":"CONTACT",\
                    "tenantId":"c2cc9b6e-9458-4c7d-93cc-f02b81b0594f","tenantType":"ORGANISATION"}],\
                    "firstEventSequence":1,"lastEventSequence":1,"entropy":"%s"}"""
                    .formatted(uuid(unique), uuid(unique), at.truncatedTo(ChronoUnit.MILLIS), unique));
            case STANDARD -> new Sample("msg_" + unique, "", """
                    {"type":"invoice.created","timestamp":"%s","data":{"id":"inv_%s","amount":1250}}"""
                    .formatted(at.truncatedTo(ChronoUnit.SECONDS), unique));
            case FINCH -> new Sample(UUID.randomUUID().toString(), "", """
                    {"company_id":"%s","account_id":"%s","event_type":"directory.created","data":{"individual_id":"%s"}}"""
                    .formatted(uuid(unique), uuid(unique + "a"), uuid(unique + "b")));
        };
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
