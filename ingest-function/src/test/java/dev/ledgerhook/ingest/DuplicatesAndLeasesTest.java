package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.QUICKBOOKS_TOKEN;
import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.teststack.TestStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Duplicates, expired records and lease take-over, through the HTTP surface. */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class DuplicatesAndLeasesTest {

    @Inject
    IngestFixture fixture;

    String tenant;

    @BeforeEach
    void newTenant() {
        tenant = fixture.newTenant();
    }

    @Test
    void sequentialDuplicatesAnswer200AndEnqueueNothing() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_dup_seq", "customer.updated", 1_700_000_100);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200).body("received", equalTo(1));
        for (int i = 0; i < 3; i++) {
            SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe")
                    .statusCode(200).body("received", equalTo(0)).body("duplicates", equalTo(1));
        }
        assertEquals(1, fixture.drain(tenant).size());
    }

    @Test
    void concurrentDuplicatesEnqueueExactlyOneMessage() throws Exception {
        String body = ProviderDeliveriesTest.stripeEvent("evt_dup_storm", "charge.succeeded", 1_700_000_200);
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Callable<Integer>> deliveries = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            deliveries.add(() -> SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe")
                    .extract().statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : pool.invokeAll(deliveries)) {
            statuses.add(status.get());
        }
        pool.shutdown();

        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 503), "only 200 or 503 (in flight): " + statuses);
        assertTrue(statuses.contains(200), statuses.toString());
        assertEquals(1, fixture.drain(tenant).size(), "exactly one SQS message for " + threads + " deliveries");
        // a provider retrying any 503 now gets 200 as a duplicate
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200).body("duplicates", equalTo(1));
    }

    @Test
    void anExpiredButPresentRecordIsClaimedAgain() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_expired", "customer.created", 1_700_000_300);
        EventId id = new EventId(tenant, "stripe", "evt_expired");
        Map<String, AttributeValue> old = record(id, "COMPLETED", DeliveryIntake.sha256(body), 0);
        old.put("expiresAt", n(Instant.now().minusSeconds(3600).getEpochSecond()));
        fixture.putRecord(old);

        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200).body("received", equalTo(1));

        assertEquals(1, fixture.drain(tenant).size());
        Map<String, AttributeValue> now = fixture.record(id);
        assertEquals("ENQUEUED", now.get("status").s());
        assertTrue(Long.parseLong(now.get("expiresAt").n()) > Instant.now().plusSeconds(29L * 86_400).getEpochSecond(),
                "a fresh 30-day TTL");
    }

    @Test
    void aReceivedRecordWhoseLeaseRanOutIsTakenOverAndReEnqueued() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_orphan", "customer.created", 1_700_000_400);
        EventId id = new EventId(tenant, "stripe", "evt_orphan");
        fixture.putRecord(record(id, "RECEIVED", DeliveryIntake.sha256(body), System.currentTimeMillis() - 1_000));

        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200).body("received", equalTo(1));

        EventEnvelope envelope = fixture.drain(tenant).get(0);
        assertEquals(id, envelope.id());
        assertEquals("2", fixture.record(id).get("deliveries").n());
        assertEquals("ENQUEUED", fixture.record(id).get("status").s());
    }

    @Test
    void aReceivedRecordWithALiveLeaseAnswers503WithRetryAfterAndEnqueuesNothing() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_inflight", "customer.created", 1_700_000_500);
        EventId id = new EventId(tenant, "stripe", "evt_inflight");
        fixture.putRecord(record(id, "RECEIVED", DeliveryIntake.sha256(body), System.currentTimeMillis() + 20_000));

        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe")
                .statusCode(503).header("Retry-After", notNullValue()).body("error", equalTo("in_flight"));

        assertTrue(fixture.drain(tenant).isEmpty());
    }

    @Test
    void sameKeyDifferentPayloadIsACollisionNotReEnqueued() {
        String body = ProviderDeliveriesTest.stripeEvent("evt_collide", "customer.created", 1_700_000_600);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200);
        String altered = body.replace("cus_9", "cus_other");
        SignedDelivery.stripe(STRIPE_SECRET, altered, Instant.now()).post(tenant, "stripe")
                .statusCode(200).body("received", equalTo(0)).body("duplicates", equalTo(1));

        assertEquals(1, fixture.drain(tenant).size());
        assertEquals(DeliveryIntake.sha256(body), fixture.record(new EventId(tenant, "stripe", "evt_collide")).get("payloadHash").s());
    }

    @Test
    void aDeliveryHoldingTheSameEventTwiceCountsItOnceAndAnswers200() {
        String invoice = "{\"name\":\"Invoice\",\"id\":\"130\",\"operation\":\"Create\",\"lastUpdated\":\"2026-11-20T10:00:01.000Z\"}";
        String customer = "{\"name\":\"Customer\",\"id\":\"1\",\"operation\":\"Update\",\"lastUpdated\":\"2026-11-20T10:00:00.000Z\"}";
        String body = quickBooksLegacy(invoice, customer, invoice);

        SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, body).post(tenant, "quickbooks")
                .statusCode(200).body("received", equalTo(2)).body("duplicates", equalTo(0));

        List<EventEnvelope> envelopes = fixture.drain(tenant);
        assertEquals(2, envelopes.stream().map(e -> e.id().eventKey()).distinct().count(), "two events, each enqueued once");
        assertEquals(2, envelopes.size());
        assertTrue(fixture.records(tenant).stream().allMatch(item -> item.get("status").s().equals("ENQUEUED")));
        // the provider's retry of that delivery: both events are duplicates now, still counted once each
        SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, body).post(tenant, "quickbooks")
                .statusCode(200).body("received", equalTo(0)).body("duplicates", equalTo(2));
        assertTrue(fixture.drain(tenant).isEmpty());
    }

    @Test
    void aCloudEventsBatchHoldingOneEventTwiceEnqueuesItOnce() {
        String event = """
                {"specversion":"1.0","id":"ce-twice","source":"intuit.abc","type":"qbo.customer.created.v1",
                 "time":"2026-11-20T10:00:00.000Z","intuitentityid":"7","intuitaccountid":"9130350000000001","data":{}}""";
        SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, "[" + event + "," + event + "]")
                .contentType("application/cloudevents-batch+json").post(tenant, "quickbooks")
                .statusCode(200).body("received", equalTo(1)).body("duplicates", equalTo(0));

        assertEquals(1, fixture.drain(tenant).size());
    }

    @Test
    void aDeliveryHoldingOneKeyWithTwoPayloadsEnqueuesTheFirstAndCountsTheOtherAsACollision() {
        // the legacy key leaves deletedId out, so two merges differing only in it share a key
        String merge = "{\"name\":\"Customer\",\"id\":\"7\",\"operation\":\"Merge\",\"lastUpdated\":\"2026-11-20T10:00:00.000Z\",";
        String body = quickBooksLegacy(merge + "\"deletedId\":\"8\"}", merge + "\"deletedId\":\"9\"}");

        SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, body).post(tenant, "quickbooks")
                .statusCode(200).body("received", equalTo(1)).body("duplicates", equalTo(1));

        List<EventEnvelope> envelopes = fixture.drain(tenant);
        assertEquals(1, envelopes.size());
        assertTrue(envelopes.get(0).payload().contains("\"deletedId\":\"8\""), "the first payload wins: " + envelopes.get(0).payload());
        assertEquals(envelopes.get(0).payloadHash(), fixture.records(tenant).get(0).get("payloadHash").s());
    }

    private static String quickBooksLegacy(String... entities) {
        return "{\"eventNotifications\":[{\"realmId\":\"9130350000000001\",\"dataChangeEvent\":{\"entities\":["
                + String.join(",", entities) + "]}}]}";
    }

    private static Map<String, AttributeValue> record(EventId id, String status, String hash, long leaseUntil) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(id.pk()));
        item.put("status", AttributeValue.fromS(status));
        item.put("payloadHash", AttributeValue.fromS(hash));
        item.put("receivedAt", n(System.currentTimeMillis() - 60_000));
        item.put("leaseUntil", n(leaseUntil));
        item.put("deliveries", n(1));
        item.put("tenant", AttributeValue.fromS(id.tenant()));
        item.put("expiresAt", n(Instant.now().plusSeconds(86_400).getEpochSecond()));
        return item;
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
