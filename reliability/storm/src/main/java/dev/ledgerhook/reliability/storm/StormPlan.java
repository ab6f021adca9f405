package dev.ledgerhook.reliability.storm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.reliability.storm.PlannedEvent.Effect;

/**
 * The storm's events and deliveries, generated from a seed: N unique events across the six
 * providers, mapped ones with their expected accounting effects, the rest SKIPPED; each delivered
 * 1 to 4 times (about 30% of deliveries are duplicates), a quarter of the repeated ones as a
 * concurrent burst, all in shuffled order; customers in two or three versions, a third of them
 * with the newest version delivered first.
 */
final class StormPlan {

    static final String QUICKBOOKS_REALM = "9130350000000001";
    private static final String XERO_TENANT = "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f";

    /** A unit of sending: one delivery, or several copies of one event sent at the same moment. */
    record Item(PlannedEvent event, int copies, boolean concurrent) {
    }

    final List<PlannedEvent> events = new ArrayList<>();
    final List<Item> items = new ArrayList<>();
    /**
     * Customers, marker effect → the e-mail of their newest version: what an update changes (the
     * adapter never renames a customer, its DisplayName may carry a conflict variant).
     */
    final Map<Effect, String> newestEmail = new HashMap<>();
    int reversedCustomers;

    private final Random random;
    private final Instant base;
    private final String run;
    private final List<String> stripeCustomers = new ArrayList<>();
    private final List<Long> shopifyCustomers = new ArrayList<>();
    private final List<List<PlannedEvent>> versioned = new ArrayList<>();
    private int counter;

    private StormPlan(long seed, Instant start) {
        this.random = new Random(seed);
        this.base = start.minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        this.run = Long.toString(start.toEpochMilli() % 100_000_000L, 36);
    }

    static StormPlan generate(int uniqueEvents, long seed, Instant start) {
        StormPlan plan = new StormPlan(seed, start);
        plan.generateEvents(uniqueEvents);
        plan.generateDeliveries();
        return plan;
    }

    int versionedCustomers() {
        return versioned.size();
    }

    int deliveries() {
        return items.stream().mapToInt(Item::copies).sum();
    }

    private void generateEvents(int n) {
        while (events.size() < n) {
            double roll = random.nextDouble();
            if (roll < 0.30) {
                stripe(n);
            } else if (roll < 0.55) {
                shopify(n);
            } else if (roll < 0.65) {
                quickbooks();
            } else if (roll < 0.75) {
                xero();
            } else if (roll < 0.875) {
                standard();
            } else {
                finch();
            }
        }
        while (events.size() > n) {
            events.remove(events.size() - 1); // a customer's versions may overshoot by two
        }
    }

    private void stripe(int n) {
        double roll = random.nextDouble();
        String id = next();
        if (roll < 0.30 || stripeCustomers.isEmpty()) {
            String customer = "cus_" + id;
            stripeCustomers.add(customer);
            int versions = 1 + random.nextInt(3);
            List<PlannedEvent> group = new ArrayList<>();
            for (int v = 1; v <= versions && events.size() < n; v++) {
                String name = "Storm " + customer + " v" + v;
                String email = customer + ".v" + v + "@example.com";
                String type = v == 1 ? "customer.created" : "customer.updated";
                String body = stripeEvent("evt_" + id + "_" + v, type, base.getEpochSecond() + v * 60L, """
                        {"id":"%s","object":"customer","name":"%s","email":"%s"}""".formatted(customer, name, email));
                PlannedEvent event = add(SourceType.STRIPE, "", type, body, null, "evt_" + id + "_" + v,
                        List.of(new Effect("Customer", customer)));
                group.add(event);
                newestEmail.put(new Effect("Customer", customer), email);
            }
            if (group.size() > 1) {
                versioned.add(group);
            }
        } else if (roll < 0.60) {
            String charge = "ch_" + id;
            String customer = random.nextDouble() < 0.4 ? ",\"customer\":\"" + pick(stripeCustomers) + "\"" : "";
            add(SourceType.STRIPE, "", "charge.succeeded", stripeEvent("evt_" + id, "charge.succeeded", now(), """
                    {"id":"%s","object":"charge","amount":%d,"description":"Storm charge"%s}""".formatted(charge, cents(), customer)),
                    null, "evt_" + id, List.of(new Effect("SalesReceipt", charge)));
        } else if (roll < 0.70) {
            String charge = "ch_r" + id;
            add(SourceType.STRIPE, "", "charge.refunded", stripeEvent("evt_" + id, "charge.refunded", now(), """
                    {"id":"%s","object":"charge","amount":5000,"amount_refunded":%d}""".formatted(charge, cents() % 5000 + 1)),
                    null, "evt_" + id, List.of(new Effect("RefundReceipt", "refund-of-" + charge)));
        } else if (roll < 0.85) {
            String invoice = "in_" + id;
            int amount = cents();
            add(SourceType.STRIPE, "", "invoice.paid", stripeEvent("evt_" + id, "invoice.paid", now(), """
                    {"id":"%s","object":"invoice","customer":"%s","amount_paid":%d,"lines":{"data":[{"description":"Storm plan","amount":%d}]}}"""
                    .formatted(invoice, pick(stripeCustomers), amount, amount)),
                    null, "evt_" + id, List.of(new Effect("Invoice", invoice), new Effect("Payment", "payment-of-" + invoice)));
        } else {
            add(SourceType.STRIPE, "", "payment_intent.created", stripeEvent("evt_" + id, "payment_intent.created", now(), """
                    {"id":"pi_%s","object":"payment_intent","amount":%d}""".formatted(id, cents())), null, "evt_" + id, List.of());
        }
    }

    private void shopify(int n) {
        double roll = random.nextDouble();
        long id = 7_000_000_000L + counter * 10L + random.nextInt(10);
        next();
        if (roll < 0.35 || shopifyCustomers.isEmpty()) {
            shopifyCustomers.add(id);
            int versions = 1 + random.nextInt(3);
            List<PlannedEvent> group = new ArrayList<>();
            for (int v = 1; v <= versions && events.size() < n; v++) {
                String lastName = "H" + run + id + " v" + v;
                Instant at = base.plus(v, ChronoUnit.MINUTES);
                String topic = v == 1 ? "customers/create" : "customers/update";
                String email = "shop" + id + ".v" + v + "@example.com";
                String body = """
                        {"id":%d,"email":"%s","first_name":"Storm","last_name":"%s","updated_at":"%s"}"""
                        .formatted(id, email, lastName, at);
                group.add(add(SourceType.SHOPIFY, UUID.nameUUIDFromBytes((run + id + "v" + v).getBytes(StandardCharsets.UTF_8)).toString(),
                        topic, body, at, null, List.of(new Effect("Customer", "customer-" + id))));
                newestEmail.put(new Effect("Customer", "customer-" + id), email);
            }
            if (group.size() > 1) {
                versioned.add(group);
            }
        } else if (roll < 0.70) {
            String customer = random.nextBoolean() ? ",\"customer\":{\"id\":" + pick(shopifyCustomers) + "}" : "";
            String body = """
                    {"id":%d,"name":"#S%d","total_price":"25.00","line_items":[{"title":"Storm widget","price":"12.50","quantity":2}]%s}"""
                    .formatted(id, id, customer);
            add(SourceType.SHOPIFY, uuid(id), "orders/paid", body, Instant.now(), null, List.of(new Effect("SalesReceipt", "order-" + id)));
        } else if (roll < 0.85) {
            String body = """
                    {"id":%d,"order_id":%d,"transactions":[{"amount":"%d.25","kind":"refund"}]}""".formatted(id, id + 1, 1 + random.nextInt(40));
            add(SourceType.SHOPIFY, uuid(id), "refunds/create", body, Instant.now(), null, List.of(new Effect("RefundReceipt", "refund-" + id)));
        } else {
            add(SourceType.SHOPIFY, uuid(id), "products/update", """
                    {"id":%d,"title":"Storm product"}""".formatted(id), Instant.now(), null, List.of());
        }
    }

    private void quickbooks() {
        boolean customer = random.nextInt(6) > 0;
        String name = customer ? "Customer" : "Item";
        String entityId = customer ? Integer.toString(1 + random.nextInt(5)) : "1";
        next();
        String lastUpdated = base.plusMillis(counter * 997L).toString();
        String body = """
                {"eventNotifications":[{"realmId":"%s","dataChangeEvent":{"entities":[\
                {"name":"%s","id":"%s","operation":"Update","lastUpdated":"%s"}]}}]}"""
                .formatted(QUICKBOOKS_REALM, name, entityId, lastUpdated);
        events.add(new PlannedEvent(events.size(), SourceType.QUICKBOOKS, "", "Update", body, null,
                sha256Hex(QUICKBOOKS_REALM, name, entityId, "Update", lastUpdated), List.of(), Optional.of(new Effect(name, entityId))));
    }

    private void xero() {
        String id = next();
        String resource = uuid(id.hashCode());
        String date = base.plusMillis(counter).toString();
        String body = """
                {"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/%s","resourceId":"%s",\
                "eventDateUtc":"%s","eventType":"CREATE","eventCategory":"CONTACT","tenantId":"%s","tenantType":"ORGANISATION"}],\
                "firstEventSequence":1,"lastEventSequence":1,"entropy":"%s"}""".formatted(resource, resource, date, XERO_TENANT, id);
        add(SourceType.XERO, "", "CONTACT.CREATE", body, null, sha256Hex(XERO_TENANT, "CONTACT", resource, "CREATE", date), List.of());
    }

    private void standard() {
        String id = "msg_" + next();
        add(SourceType.STANDARD, id, "invoice.created", """
                {"type":"invoice.created","timestamp":"%s","data":{"id":"inv_%s","amount":1250}}""".formatted(base, id), null, id, List.of());
    }

    private void finch() {
        String id = uuid(next().hashCode() * 31L + 7);
        add(SourceType.FINCH, id, "directory.created", """
                {"company_id":"%s","account_id":"%s","event_type":"directory.created","data":{"individual_id":"%s"}}"""
                .formatted(XERO_TENANT, XERO_TENANT, id), null, id, List.of());
    }

    private PlannedEvent add(SourceType type, String eventId, String topic, String body, Instant triggeredAt, String eventKey,
                             List<Effect> effects) {
        PlannedEvent event = new PlannedEvent(events.size(), type, eventId, topic, body, triggeredAt,
                eventKey == null ? eventId : eventKey, effects, Optional.empty());
        events.add(event);
        return event;
    }

    /** 1 copy 72%, 2 copies 18%, 3 copies 6%, 4 copies 4%: 1.42 deliveries per event, 30% duplicates. */
    private void generateDeliveries() {
        List<Item> singles = new ArrayList<>();
        for (PlannedEvent event : events) {
            double roll = random.nextDouble();
            int copies = roll < 0.72 ? 1 : roll < 0.90 ? 2 : roll < 0.96 ? 3 : 4;
            if (copies > 1 && random.nextDouble() < 0.25) {
                singles.add(new Item(event, copies, true));
            } else {
                for (int i = 0; i < copies; i++) {
                    singles.add(new Item(event, 1, false));
                }
            }
        }
        Collections.shuffle(singles, random);
        items.addAll(singles);
        reverseSomeVersions();
    }

    /** For a third of the customers with several versions, the newest version's first delivery goes first. */
    private void reverseSomeVersions() {
        for (List<PlannedEvent> group : versioned) {
            if (random.nextInt(3) != 0) {
                continue;
            }
            List<Integer> firsts = new ArrayList<>();
            for (PlannedEvent version : group) {
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i).event() == version) {
                        firsts.add(i);
                        break;
                    }
                }
            }
            List<Integer> positions = new ArrayList<>(firsts);
            Collections.sort(positions);
            List<Item> moved = new ArrayList<>();
            for (int i = group.size() - 1; i >= 0; i--) {
                moved.add(items.get(firsts.get(i)));
            }
            for (int i = 0; i < positions.size(); i++) {
                items.set(positions.get(i), moved.get(i));
            }
            reversedCustomers++;
        }
    }

    private String stripeEvent(String id, String type, long created, String object) {
        return """
                {"id":"%s","object":"event","type":"%s","created":%d,"livemode":false,"data":{"object":%s}}"""
                .formatted(id, type, created, object);
    }

    private long now() {
        return base.getEpochSecond() + 600 + counter;
    }

    private int cents() {
        return 100 + random.nextInt(99_900);
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private String next() {
        counter++;
        return run + "x" + counter;
    }

    private String uuid(long seed) {
        return UUID.nameUUIDFromBytes((run + ":" + seed).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The ingest's key for providers without an event id: SHA-256 hex of the fields joined by newlines. */
    static String sha256Hex(String... fields) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", fields).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
