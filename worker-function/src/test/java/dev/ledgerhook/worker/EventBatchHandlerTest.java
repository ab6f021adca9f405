package dev.ledgerhook.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;

import dev.ledgerhook.accounting.AccountingPort;
import dev.ledgerhook.accounting.CommandContext;
import dev.ledgerhook.accounting.Commands;
import dev.ledgerhook.accounting.EntityType;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.ledger.EventProgress;
import dev.ledgerhook.providers.QuickBooksProvider;
import dev.ledgerhook.providers.ShopifyProvider;
import dev.ledgerhook.providers.WebhookRequest;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.stack.StackResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** The worker against moto (DynamoDB), ElasticMQ and the QuickBooks simulator, fed as the event source mapping feeds it. */
@QuarkusTest
@QuarkusTestResource(WorkerTestResource.class)
class EventBatchHandlerTest {

    @Inject
    WorkerFixture fixture;
    @Inject
    EventBatchHandler handler;
    @Inject
    EventProgress progress;
    @Inject
    AccountingPort accounting;
    @Inject
    DynamoDbClient dynamoDb;
    @Inject
    StackResources resources;
    @Inject
    software.amazon.awssdk.services.sqs.SqsClient sqs;

    @Test
    void aBatchOfTenWithThreeFailingReportsExactlyThoseThree() {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(customerCreated(tenant, "evt_ok_" + i, "cus_" + i, 1_000, "Customer " + i));
        }
        for (int i = 0; i < 3; i++) {
            events.add(invoicePaid(tenant, "evt_bad_" + i, "in_" + i, "cus_never_seen_" + i));
        }
        fixture.enqueue(events.toArray(EventEnvelope[]::new));
        SQSEvent batch = fixture.receive(10, Set.of(tenant));
        assertEquals(10, batch.getRecords().size());

        SQSBatchResponse response = fixture.deliver(batch);

        Set<String> failing = batch.getRecords().stream().filter(m -> m.getBody().contains("evt_bad_"))
                .map(SQSEvent.SQSMessage::getMessageId).collect(Collectors.toSet());
        assertEquals(failing, response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet()));
        assertEquals(7, fixture.stats(realm).path("entities").path("Customer").path("creates").asInt());
        assertEquals("PROCESSING", status(tenant, "evt_bad_0"), "a transient failure stays PROCESSING, error recorded");
        assertEquals("LH-REFERENCE", progress.read(new EventId(tenant, "stripe", "evt_bad_0")).get("errorCode").s());
    }

    @Test
    void aDuplicateAndARedeliveryAfterACrashBetweenTheCallAndTheMarkHaveOneEffect() throws Exception {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        EventEnvelope created = customerCreated(tenant, "evt_dup", "cus_dup", 1_000, "Dup Customer");
        fixture.enqueue(created, created);
        fixture.deliver(fixture.receive(2, Set.of(tenant)));
        assertEquals("COMPLETED", status(tenant, "evt_dup"));

        // a worker applied this event's command, then died before marking it COMPLETED
        EventEnvelope crashed = customerCreated(tenant, "evt_crash", "cus_crash", 1_000, "Crash Customer");
        progress.start(crashed.id(), System.currentTimeMillis());
        accounting.apply(new CommandContext(tenant, "stripe", "evt_crash", 0),
                new Commands.UpsertCustomer("cus_crash", 1_000, "Crash Customer", java.util.Optional.empty()));
        fixture.enqueue(crashed);
        fixture.deliver(fixture.receive(1, Set.of(tenant)));

        assertEquals("COMPLETED", status(tenant, "evt_crash"));
        assertEquals(2, fixture.stats(realm).path("entities").path("Customer").path("creates").asInt(),
                "one customer per unique event");
        assertEquals(2, fixture.stats(realm).path("entities").path("Customer").path("count").asInt());
    }

    @Test
    void outOfOrderVersionsOfOneEntityLeaveTheNewerState() {
        String tenant = WorkerFixture.newTenant();
        fixture.connect(tenant);
        fixture.enqueue(customerUpdated(tenant, "evt_v2", "cus_o", 2_000, "new@example.com"));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));
        fixture.enqueue(customerUpdated(tenant, "evt_v1", "cus_o", 1_000, "old@example.com"));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));

        String accountingId = dynamoDb.getItem(g -> g.tableName(resources.externalIdsTable()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#Customer#cus_o")))).item().get("accountingId").s();
        try {
            assertEquals("new@example.com", accounting.read(tenant, EntityType.CUSTOMER, accountingId)
                    .path("PrimaryEmailAddr").path("Address").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals("COMPLETED", status(tenant, "evt_v1"));
        assertTrue(progress.read(new EventId(tenant, "stripe", "evt_v1")).get("accountingIds").s().endsWith("SKIPPED_OLDER"));
    }

    @Test
    void waitsForAMissingReferenceDoNotOpenTheTenantsCircuit() {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        // A shuffled storm: twenty invoices arrive before their customers. Each is an ordering wait
        // (LH-REFERENCE), not a QuickBooks fault; counting them opened the circuit (half of the last
        // ten calls failed) and the customers that followed failed fast with an open circuit.
        List<EventEnvelope> early = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            early.add(invoicePaid(tenant, "evt_early_" + i, "in_early_" + i, "cus_late_" + i));
        }
        for (int from = 0; from < early.size(); from += 10) {
            fixture.enqueue(early.subList(from, from + 10).toArray(EventEnvelope[]::new));
            assertEquals(10, fixture.deliver(fixture.receive(10, Set.of(tenant))).getBatchItemFailures().size());
        }
        fixture.enqueue(customerCreated(tenant, "evt_late_0", "cus_late_0", 1_000, "Late 0"));
        // the invoices come back too (no redelivery delay here): deliver one message at a time until the customer is done
        EventId late = new EventId(tenant, "stripe", "evt_late_0");
        for (int round = 0; round < 40 && !"COMPLETED".equals(attribute(late, "status")); round++) {
            fixture.deliver(fixture.receive(1, Set.of(tenant)));
        }

        assertEquals("COMPLETED", attribute(late, "status"));
        assertEquals(1, fixture.stats(realm).path("entities").path("Customer").path("creates").asInt());
        assertEquals("1", progress.read(late).get("attempts").n(),
                "the customer is applied on its first attempt, not failed fast by an open circuit");
        for (EventEnvelope invoice : early) {
            assertEquals("LH-REFERENCE", attribute(invoice.id(), "errorCode"), "every wait is a reference wait, none an open circuit");
        }
    }

    private String attribute(EventId id, String name) {
        AttributeValue value = progress.read(id).get(name);
        return value == null ? null : value.s();
    }

    @Test
    void serverErrorsAndThrottlingAreRetriedWithBackOffToSuccess() {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        fixture.sim("PUT", "/sim/faults/" + realm, "{\"failNext\":4,\"failNextStatus\":503}");
        fixture.enqueue(customerCreated(tenant, "evt_f0", "cus_f0", 1_000, "Flaky 0"));
        assertEquals(List.of(), fixture.deliver(fixture.receive(1, Set.of(tenant))).getBatchItemFailures(),
                "four 503s in a row: two HTTP-level retries, then the guard's back-off, then success");
        fixture.sim("PUT", "/sim/faults/" + realm, "{\"failNext\":3,\"failNextStatus\":429}");
        fixture.enqueue(customerCreated(tenant, "evt_f1", "cus_f1", 1_000, "Flaky 1"));
        assertEquals(List.of(), fixture.deliver(fixture.receive(1, Set.of(tenant))).getBatchItemFailures(),
                "three 429s: Retry-After honoured, then success");

        JsonNode stats = fixture.stats(realm);
        assertEquals(2, stats.path("entities").path("Customer").path("creates").asInt());
        assertEquals(7, stats.path("faulted").asInt(), stats.toString());
        assertEquals(3, stats.path("throttled").asInt(), stats.toString());
        assertTrue(fixture.drainDeadLetters(tenant).isEmpty());
    }

    @Test
    void aBrokenTenantLeavesAnotherTenantsLatencyUnchanged() {
        String healthy = WorkerFixture.newTenant();
        String healthyRealm = fixture.connect(healthy);
        fixture.sim("PUT", "/sim/faults/" + healthyRealm, "{\"latencyMs\":20}");
        String broken = WorkerFixture.newTenant();
        String brokenRealm = fixture.connect(broken);
        fixture.sim("PUT", "/sim/faults/" + brokenRealm, "{\"errorRate\":1.0,\"latencyMs\":20}");

        String neighbour = WorkerFixture.newTenant();
        String neighbourRealm = fixture.connect(neighbour);
        fixture.sim("PUT", "/sim/faults/" + neighbourRealm, "{\"latencyMs\":20}");

        medianLatency(healthy, "warm-up", 3, neighbour);
        long besideHealthy = medianLatency(healthy, "beside-healthy", 5, neighbour);
        long besideBroken = medianLatency(healthy, "beside-broken", 5, broken);

        // Same load from a second tenant in the same batches; only whether its QuickBooks works differs.
        System.out.printf("[ledgerhook] healthy tenant median event latency: beside a healthy tenant %d ms,"
                + " beside a broken tenant %d ms%n", besideHealthy, besideBroken);
        assertTrue(besideBroken <= besideHealthy * 3 / 2 + 20,
                "beside a healthy tenant " + besideHealthy + " ms, beside a broken one " + besideBroken + " ms");
        assertTrue(fixture.stats(brokenRealm).path("faulted").asInt() > 0, "the broken tenant's calls did fail");
    }

    @Test
    void aPermanentFaultGoesToTheDeadLetterQueueOnceWithItsReason() {
        String tenant = WorkerFixture.newTenant();
        fixture.connect(tenant);
        // the customer is mapped to an id QuickBooks does not have: the invoice is refused with 2500
        dynamoDb.putItem(p -> p.tableName(resources.externalIdsTable()).item(Map.of(
                "pk", AttributeValue.fromS(tenant + "#Customer#cus_ghost"), "requestId", AttributeValue.fromS("lh-ghost"),
                "accountingId", AttributeValue.fromS("999999"), "syncToken", AttributeValue.fromS("0"),
                "lastVersion", AttributeValue.fromN("1"))));
        fixture.enqueue(invoicePaid(tenant, "evt_perm", "in_perm", "cus_ghost"));

        SQSBatchResponse response = fixture.deliver(fixture.receive(1, Set.of(tenant)));

        assertEquals(List.of(), response.getBatchItemFailures(), "acknowledged: it is in the DLQ already");
        List<Message> dead = fixture.drainDeadLetters(tenant);
        assertEquals(1, dead.size());
        assertEquals("2500", dead.get(0).messageAttributes().get("errorCode").stringValue());
        assertEquals("FAILED", status(tenant, "evt_perm"));
        assertEquals(0, fixture.receive(1, Set.of(tenant)).getRecords().size(), "nothing left to redeliver");
    }

    @Test
    void aDeadLetterReplayedAfterTheFixCompletesOnce() {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        fixture.enqueue(invoicePaid(tenant, "evt_later", "in_later", "cus_later"));
        for (int receive = 0; receive < 5; receive++) {
            SQSEvent batch = fixture.receive(1, Set.of(tenant));
            assertEquals(1, batch.getRecords().size(), "receive " + (receive + 1));
            assertEquals(1, fixture.deliver(batch).getBatchItemFailures().size());
        }
        assertEquals(0, fixture.receive(1, Set.of(tenant)).getRecords().size(), "the sixth receive finds it moved");
        List<Message> dead = fixture.drainDeadLetters(tenant);
        assertEquals(1, dead.size(), "after five receives SQS moved it to the DLQ");

        fixture.enqueue(customerCreated(tenant, "evt_cus_later", "cus_later", 1_000, "Late Customer"));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));
        sqs.sendMessage(s -> s.queueUrl(resources.eventsQueueUrl()).messageBody(dead.get(0).body()));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));
        sqs.sendMessage(s -> s.queueUrl(resources.eventsQueueUrl()).messageBody(dead.get(0).body()));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));

        assertEquals("COMPLETED", status(tenant, "evt_later"));
        JsonNode entities = fixture.stats(realm).path("entities");
        assertEquals(1, entities.path("Invoice").path("creates").asInt(), "replayed twice, invoiced once");
        assertEquals(1, entities.path("Payment").path("creates").asInt());
    }

    @Test
    void unmappedEventsAreSkippedWithTheirReasonAndNotDeadLettered() {
        String tenant = WorkerFixture.newTenant();
        fixture.connect(tenant);
        fixture.enqueue(WorkerFixture.stripe(tenant, "evt_unmapped", "payout.paid", 1_000, "{\"id\":\"po_1\"}"));

        assertEquals(List.of(), fixture.deliver(fixture.receive(1, Set.of(tenant))).getBatchItemFailures());

        Map<String, AttributeValue> record = progress.read(new EventId(tenant, "stripe", "evt_unmapped"));
        assertEquals("SKIPPED", record.get("status").s());
        assertTrue(record.get("reason").s().contains("payout.paid"));
        assertTrue(fixture.drainDeadLetters(tenant).isEmpty());
    }

    @Test
    void shopifyPaidOrdersBecomeSalesReceiptsForTheirCustomer() {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        fixture.enqueue(shopify(tenant, "sh-1", "customers/create", "{\"id\":77,\"first_name\":\"Ann\",\"last_name\":\"Lee\"}"),
                shopify(tenant, "sh-2", "orders/paid", "{\"id\":501,\"name\":\"#1001\",\"customer\":{\"id\":77},"
                        + "\"line_items\":[{\"title\":\"Mug\",\"price\":\"12.50\",\"quantity\":2}]}"));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));
        SQSEvent leftovers = fixture.receive(2, Set.of(tenant));
        if (!leftovers.getRecords().isEmpty()) {
            fixture.deliver(leftovers); // the order arrived before its customer: redelivered after it
        }

        JsonNode entities = fixture.stats(realm).path("entities");
        assertEquals(1, entities.path("Customer").path("creates").asInt());
        assertEquals(1, entities.path("SalesReceipt").path("creates").asInt());
        assertEquals("COMPLETED", progress.read(new EventId(tenant, "shopify", "sh-2")).get("status").s());
    }

    @Test
    void quickBooksChangeNotificationsMirrorTheEntityAndOlderNeverOverwritesNewer() throws Exception {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        String id = accounting.apply(new CommandContext(tenant, "stripe", "seed", 0),
                new Commands.UpsertCustomer("cus_mirror", 1, "Mirror Me", java.util.Optional.empty())).accountingId();
        fixture.enqueue(quickbooks(tenant, realm, "qb-new", id, "2026-11-20T10:00:00.000Z"));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));
        var mirrored = dynamoDb.getItem(g -> g.tableName(resources.entityMirrorTable()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#Customer#" + id)))).item();
        assertTrue(mirrored.get("state").s().contains("Mirror Me"));
        long stored = Long.parseLong(mirrored.get("lastUpdated").n());

        fixture.enqueue(quickbooks(tenant, realm, "qb-old", id, "2020-01-01T00:00:00.000Z"));
        fixture.deliver(fixture.receive(1, Set.of(tenant)));

        assertEquals(stored, Long.parseLong(dynamoDb.getItem(g -> g.tableName(resources.entityMirrorTable()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#Customer#" + id)))).item().get("lastUpdated").n()));
        assertEquals("COMPLETED", progress.read(new EventId(tenant, "quickbooks", "qb-old")).get("status").s());
    }

    /**
     * Shopify signs only the body. A customers/update body captured at its delivery and sent again
     * after a newer update, under a new event id and a fresh Triggered-At, must not put the older
     * email back on the customer in QuickBooks.
     */
    @Test
    void aCapturedShopifyBodyReplayedUnderANewEventIdLeavesTheNewerCustomer() throws Exception {
        String tenant = WorkerFixture.newTenant();
        fixture.connect(tenant);
        String older = shopifyCustomersUpdate("bob@biller.com", "2026-11-20T05:00:00-05:00");
        String newer = shopifyCustomersUpdate("bob@example.net", "2026-11-20T05:30:00-05:00");
        for (EventEnvelope envelope : List.of(
                shopifyDelivery(tenant, "5c9b1e0a-0001-4000-8000-000000000001", older, "2026-11-20T10:00:00.000Z"),
                shopifyDelivery(tenant, "5c9b1e0a-0002-4000-8000-000000000002", newer, "2026-11-20T10:30:00.000Z"),
                shopifyDelivery(tenant, "5c9b1e0a-0003-4000-8000-00000000beef", older, java.time.Instant.now().toString()))) {
            fixture.enqueue(envelope);
            fixture.deliver(fixture.receive(1, Set.of(tenant)));
        }

        String accountingId = dynamoDb.getItem(g -> g.tableName(resources.externalIdsTable()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#Customer#customer-706405506930370084")))).item()
                .get("accountingId").s();
        assertEquals("bob@example.net", accounting.read(tenant, EntityType.CUSTOMER, accountingId)
                .path("PrimaryEmailAddr").path("Address").asText(), "the replayed older body did not win");
    }

    /** Shopify's documented customers/update payload, with this email and updated_at. */
    private static String shopifyCustomersUpdate(String email, String updatedAt) {
        return """
                {"id":706405506930370084,"email":"%s","created_at":"2021-12-31T19:00:00-05:00","updated_at":"%s",\
                "first_name":"Bob","last_name":"Biller","orders_count":0,"state":"disabled","total_spent":"0.00",\
                "last_order_id":null,"note":"This customer loves ice pops","verified_email":true,"multipass_identifier":null,\
                "tax_exempt":false,"tags":"","last_order_name":null,"currency":"USD","phone":null,"addresses":[],\
                "tax_exemptions":[],"email_marketing_consent":null,"sms_marketing_consent":null,\
                "admin_graphql_api_id":"gid://shopify/Customer/706405506930370084"}""".formatted(email, updatedAt);
    }

    /** The envelope the ingest function enqueues for this delivery: parsed by the Shopify provider itself. */
    private static EventEnvelope shopifyDelivery(String tenant, String eventId, String body, String triggeredAt) {
        WebhookRequest request = new WebhookRequest(Map.of("X-Shopify-Event-Id", List.of(eventId),
                "X-Shopify-Topic", List.of("customers/update"), "X-Shopify-Triggered-At", List.of(triggeredAt)),
                body.getBytes(StandardCharsets.UTF_8));
        try {
            var event = new ShopifyProvider().parse(request).get(0);
            return new EventEnvelope(new EventId(tenant, "shopify", event.eventKey()), "shopify", event.eventType(),
                    event.version(), "h-" + eventId, System.currentTimeMillis(), event.payload());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * One QuickBooks app has one webhook for every company connected to it, so the tenant's endpoint
     * also receives other companies' changes. Entity ids repeat across companies: reading "Customer 1"
     * of the tenant's company for another company's notification would mirror the wrong entity.
     */
    @Test
    void aChangeNotificationForAnotherCompanyIsSkippedAndNothingIsRead() {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        String otherRealm = fixture.connect(WorkerFixture.newTenant());
        String id = seedCustomer(tenant, "Own Customer");
        long requestsBefore = fixture.stats(realm).path("requests").asLong();

        EventEnvelope legacy = single(intuitDelivery(tenant, legacyNotification(otherRealm, id)));
        EventEnvelope cloudEvent = single(intuitDelivery(tenant, cloudEventNotification("ce-other-1", otherRealm, id)));
        fixture.enqueue(legacy, cloudEvent);
        fixture.deliver(fixture.receive(2, Set.of(tenant)));

        String reason = "realm " + otherRealm + " is not the tenant's company " + realm;
        for (EventEnvelope skipped : List.of(legacy, cloudEvent)) {
            Map<String, AttributeValue> record = progress.read(skipped.id());
            assertEquals("SKIPPED", record.get("status").s(), skipped.eventType());
            assertEquals(reason, record.get("reason").s());
        }
        assertEquals(requestsBefore, fixture.stats(realm).path("requests").asLong(), "nothing was read from the tenant's company");
        assertEquals(0, fixture.stats(otherRealm).path("requests").asLong(), "nor from the other company");
        assertTrue(mirrored(tenant, id).isEmpty(), "nothing was mirrored");

        EventEnvelope own = single(intuitDelivery(tenant, cloudEventNotification("ce-own-1", realm, id)));
        fixture.enqueue(own);
        fixture.deliver(fixture.receive(1, Set.of(tenant)));

        assertEquals("COMPLETED", progress.read(own.id()).get("status").s());
        assertTrue(mirrored(tenant, id).get("state").s().contains("Own Customer"));
    }

    @Test
    void noAttemptStartsWithTooLittleOfTheInvocationLeft() {
        String tenant = WorkerFixture.newTenant();
        String realm = fixture.connect(tenant);
        fixture.enqueue(customerCreated(tenant, "evt_late", "cus_late", 1_000, "Too Late"));
        SQSEvent batch = fixture.receive(1, Set.of(tenant));

        SQSBatchResponse response = handler.handleRequest(batch, remaining(3_000));

        assertEquals(1, response.getBatchItemFailures().size(), "left for the next delivery");
        assertEquals("LH-DEADLINE", progress.read(new EventId(tenant, "stripe", "evt_late")).get("errorCode").s());
        assertEquals(0, fixture.stats(realm).path("requests").asInt(), "QuickBooks was not called");
    }

    private static com.amazonaws.services.lambda.runtime.Context remaining(int millis) {
        return (com.amazonaws.services.lambda.runtime.Context) java.lang.reflect.Proxy.newProxyInstance(
                EventBatchHandlerTest.class.getClassLoader(), new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
                (proxy, method, args) -> method.getName().equals("getRemainingTimeInMillis") ? millis : null);
    }

    private static EventEnvelope shopify(String tenant, String eventId, String topic, String body) {
        return new EventEnvelope(new EventId(tenant, "shopify", eventId), "shopify", topic, 1_000, "h-" + eventId,
                System.currentTimeMillis(), body);
    }

    private static EventEnvelope quickbooks(String tenant, String realm, String eventKey, String entityId, String lastUpdated) {
        String payload = "{\"realmId\":\"" + realm + "\",\"name\":\"Customer\",\"id\":\"" + entityId
                + "\",\"operation\":\"Update\",\"lastUpdated\":\"" + lastUpdated + "\"}";
        return new EventEnvelope(new EventId(tenant, "quickbooks", eventKey), "quickbooks", "Customer.Update",
                java.time.Instant.parse(lastUpdated).toEpochMilli(), "h-" + eventKey, System.currentTimeMillis(), payload);
    }

    private String seedCustomer(String tenant, String name) {
        try {
            return accounting.apply(new CommandContext(tenant, "stripe", "seed", 0),
                    new Commands.UpsertCustomer("cus_seed", 1, name, java.util.Optional.empty())).accountingId();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, AttributeValue> mirrored(String tenant, String entityId) {
        return dynamoDb.getItem(g -> g.tableName(resources.entityMirrorTable()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(tenant + "#Customer#" + entityId)))).item();
    }

    /** Intuit's legacy payload: one notification per company, each naming its realmId. */
    private static String legacyNotification(String realm, String customerId) {
        return """
                {"eventNotifications":[{"realmId":"%s","dataChangeEvent":{"entities":[
                  {"name":"Customer","id":"%s","operation":"Update","lastUpdated":"2026-11-20T10:00:00.000Z"}]}}]}"""
                .formatted(realm, customerId);
    }

    /** Intuit's CloudEvents payload: the company is {@code intuitaccountid}. */
    private static String cloudEventNotification(String eventId, String realm, String customerId) {
        return """
                [{"specversion":"1.0","id":"%s","source":"intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=",
                  "type":"qbo.customer.updated.v1","datacontenttype":"application/json","time":"2026-11-20T10:00:00.000Z",
                  "intuitentityid":"%s","intuitaccountid":"%s","data":{}}]"""
                .formatted(eventId, customerId, realm);
    }

    /** The envelopes the ingest function enqueues for this body: parsed by the QuickBooks provider itself. */
    private static List<EventEnvelope> intuitDelivery(String tenant, String body) {
        try {
            return new QuickBooksProvider().parse(new WebhookRequest(Map.of(), body.getBytes(StandardCharsets.UTF_8)))
                    .stream().map(event -> new EventEnvelope(new EventId(tenant, "quickbooks", event.eventKey()), "quickbooks",
                            event.eventType(), event.version(), "h-" + event.eventKey(), System.currentTimeMillis(),
                            event.payload())).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static EventEnvelope single(List<EventEnvelope> envelopes) {
        assertEquals(1, envelopes.size());
        return envelopes.get(0);
    }

    private long medianLatency(String tenant, String label, int count, String brokenTenant) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(customerCreated(tenant, "evt_" + label + i, "cus_" + label + i, 1_000, label + " " + i));
            if (brokenTenant != null) {
                events.add(customerCreated(brokenTenant, "evt_" + label + i, "cus_" + label + i, 1_000, "broken " + i));
            }
        }
        fixture.enqueue(events.toArray(EventEnvelope[]::new));
        Set<String> tenants = brokenTenant == null ? Set.of(tenant) : Set.of(tenant, brokenTenant);
        fixture.deliver(fixture.receive(events.size(), tenants));
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> record = progress.read(new EventId(tenant, "stripe", "evt_" + label + i));
            assertEquals("COMPLETED", record.get("status").s());
            latencies.add(Long.parseLong(record.get("latencyMs").n()));
        }
        latencies.sort(Long::compare);
        return latencies.get(count / 2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String status(String tenant, String eventKey) {
        return progress.read(new EventId(tenant, "stripe", eventKey)).get("status").s();
    }

    private static EventEnvelope customerCreated(String tenant, String eventId, String customer, long version, String name) {
        return WorkerFixture.stripe(tenant, eventId, "customer.created", version,
                "{\"id\":\"" + customer + "\",\"object\":\"customer\",\"name\":\"" + name + "\"}");
    }

    private static EventEnvelope customerUpdated(String tenant, String eventId, String customer, long version, String email) {
        return WorkerFixture.stripe(tenant, eventId, "customer.updated", version,
                "{\"id\":\"" + customer + "\",\"object\":\"customer\",\"name\":\"Ordered\",\"email\":\"" + email + "\"}");
    }

    private static EventEnvelope invoicePaid(String tenant, String eventId, String invoice, String customer) {
        return WorkerFixture.stripe(tenant, eventId, "invoice.paid", 1_000,
                "{\"id\":\"" + invoice + "\",\"object\":\"invoice\",\"customer\":\"" + customer + "\",\"amount_paid\":4200,"
                        + "\"lines\":{\"data\":[{\"description\":\"Plan\",\"amount\":4200}]}}");
    }
}
