package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.FINCH_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.FINCH_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.QUICKBOOKS_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.QUICKBOOKS_TOKEN;
import static dev.ledgerhook.ingest.IngestFixture.SHOPIFY_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.SHOPIFY_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.STANDARD_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.STANDARD_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.STRIPE_ROTATED;
import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static dev.ledgerhook.ingest.IngestFixture.XERO_KEY;
import static dev.ledgerhook.ingest.IngestFixture.XERO_ROTATED;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.teststack.TestStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Each provider through the function's HTTP surface: accepted and enqueued, or refused with nothing written. */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class ProviderDeliveriesTest {

    @Inject
    IngestFixture fixture;

    String tenant;

    @BeforeEach
    void newTenant() {
        tenant = fixture.newTenant();
    }

    // ---------------------------------------------------------------- Stripe

    @Test
    void stripeDeliveryIsAcceptedAndEnqueuedWithItsEventId() {
        String body = stripeEvent("evt_1Stripe", "customer.created", 1_700_000_000);
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe")
                .statusCode(200).body("received", equalTo(1)).body("duplicates", equalTo(0));

        EventEnvelope envelope = single(fixture.drain(tenant));
        assertEquals(new EventId(tenant, "stripe", "evt_1Stripe"), envelope.id());
        assertEquals("stripe", envelope.sourceType());
        assertEquals("customer.created", envelope.eventType());
        assertEquals(1_700_000_000_000L, envelope.version());
        assertEquals("ENQUEUED", fixture.record(envelope.id()).get("status").s());
    }

    @Test
    void stripeBadSignatureStaleTimestampAndRotatedSecret() {
        String body = stripeEvent("evt_2Stripe", "charge.succeeded", 1_700_000_000);
        SignedDelivery.stripe("whsec_wrong", body, Instant.now()).post(tenant, "stripe")
                .statusCode(401).body("error", equalTo("invalid_signature"));
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now().minusSeconds(301)).post(tenant, "stripe").statusCode(401);
        assertNothingWritten();

        SignedDelivery.stripe(STRIPE_ROTATED, body, Instant.now().minusSeconds(290)).post(tenant, "stripe").statusCode(200);
        assertEquals(1, fixture.drain(tenant).size());
    }

    // ---------------------------------------------------------------- Shopify

    @Test
    void shopifyDeliveryIsKeyedByEventIdAndVerifiedWithEitherSecret() {
        String body = "{\"id\":820982911946154508,\"email\":\"jon@example.com\",\"updated_at\":\"2024-06-01T12:00:00Z\"}";
        SignedDelivery.shopify("wrong", "ev-1", "customers/create", body, Instant.now().minusSeconds(60)).post(tenant, "shopify").statusCode(401);
        String ahead = body.replace("2024-06-01T12:00:00Z", Instant.now().plusSeconds(3600).toString());
        SignedDelivery.shopify(SHOPIFY_SECRET, "ev-1", "customers/create", ahead, Instant.now().minusSeconds(60))
                .post(tenant, "shopify").statusCode(401); // a signed updated_at an hour ahead of us
        assertNothingWritten();

        SignedDelivery.shopify(SHOPIFY_ROTATED, "ev-1", "customers/create", body, Instant.now().minusSeconds(60))
                .post(tenant, "shopify").statusCode(200).body("received", equalTo(1));
        EventEnvelope envelope = single(fixture.drain(tenant));
        assertEquals("ev-1", envelope.id().eventKey());
        assertEquals("customers/create", envelope.eventType());
    }

    // ---------------------------------------------------------------- QuickBooks Online

    @Test
    void quickBooksLegacyNotificationBecomesOneEventPerEntity() {
        String body = """
                {"eventNotifications":[
                  {"realmId":"9130350000000001","dataChangeEvent":{"entities":[
                    {"name":"Customer","id":"1","operation":"Update","lastUpdated":"2026-11-20T10:00:00.000Z"},
                    {"name":"Invoice","id":"130","operation":"Create","lastUpdated":"2026-11-20T10:00:01.000Z"}]}},
                  {"realmId":"9130350000000002","dataChangeEvent":{"entities":[
                    {"name":"Customer","id":"1","operation":"Update","lastUpdated":"2026-11-20T10:00:00.000Z"}]}}]}""";
        SignedDelivery.quickbooks("wrong", body).post(tenant, "quickbooks").statusCode(401);
        assertNothingWritten();

        SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, body).post(tenant, "quickbooks").statusCode(200).body("received", equalTo(3));
        List<EventEnvelope> envelopes = fixture.drain(tenant);
        assertEquals(3, envelopes.stream().map(e -> e.id().eventKey()).distinct().count(),
                "the same entity in two realms is two events");

        SignedDelivery.quickbooks(QUICKBOOKS_ROTATED, body).post(tenant, "quickbooks")
                .statusCode(200).body("received", equalTo(0)).body("duplicates", equalTo(3));
        assertEquals(0, fixture.drain(tenant).size());
    }

    @Test
    void quickBooksCloudEventsArrayIsKeyedByCloudEventId() {
        String body = """
                [{"specversion":"1.0","id":"ce-88cd52b4","source":"intuit.abc","type":"qbo.customer.created.v1",
                  "datacontenttype":"application/json","time":"2026-11-20T10:00:00.000Z","intuitentityid":"7",
                  "intuitaccountid":"9130350000000001","data":{}},
                 {"specversion":"1.0","id":"ce-99de63c5","source":"intuit.abc","type":"qbo.invoice.updated.v1",
                  "datacontenttype":"application/json","time":"2026-11-20T10:00:02.000Z","intuitentityid":"130",
                  "intuitaccountid":"9130350000000001","data":{}}]""";
        SignedDelivery.quickbooks(QUICKBOOKS_TOKEN, body).contentType("application/cloudevents-batch+json")
                .post(tenant, "quickbooks").statusCode(200).body("received", equalTo(2));
        Set<String> keys = fixture.drain(tenant).stream().map(e -> e.id().eventKey()).collect(Collectors.toSet());
        assertEquals(Set.of("ce-88cd52b4", "ce-99de63c5"), keys);
    }

    // ---------------------------------------------------------------- Xero

    @Test
    void xeroIntentToReceiveAnswersEmpty200WhenValidAnd401WhenNot() {
        String body = "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"S0m3r4Nd0mt3xt\"}";
        SignedDelivery.xero(XERO_KEY, body).post(tenant, "xero").statusCode(200).body(emptyString());
        SignedDelivery.xero("wrong", body).post(tenant, "xero").statusCode(401);
        assertNothingWritten();
    }

    @Test
    void xeroBatchBecomesOneEventPerResourceChange() {
        String body = """
                {"events":[
                  {"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/717f2bfc","resourceId":"717f2bfc",
                   "eventDateUtc":"2026-11-20T01:15:39.902","eventType":"UPDATE","eventCategory":"CONTACT",
                   "tenantId":"c2cc9b6e","tenantType":"ORGANISATION"},
                  {"resourceUrl":"https://api.xero.com/api.xro/2.0/Invoices/9a3b","resourceId":"9a3b",
                   "eventDateUtc":"2026-11-20T01:15:40.000","eventType":"CREATE","eventCategory":"INVOICE",
                   "tenantId":"c2cc9b6e","tenantType":"ORGANISATION"}],
                 "firstEventSequence":1,"lastEventSequence":2,"entropy":"abc"}""";
        SignedDelivery.xero(XERO_ROTATED, body).post(tenant, "xero").statusCode(200).body("received", equalTo(2));
        List<EventEnvelope> envelopes = fixture.drain(tenant);
        assertEquals(2, envelopes.size());
        assertNotEquals(envelopes.get(0).id().eventKey(), envelopes.get(1).id().eventKey());
    }

    // ---------------------------------------------------------------- Standard Webhooks and Finch

    @Test
    void standardWebhooksDeliveryWithToleranceAndRotation() {
        String body = "{\"type\":\"invoice.paid\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"data\":{\"id\":\"inv_1\"}}";
        SignedDelivery.standard(STANDARD_SECRET, "msg_stale", body, Instant.now().minusSeconds(301))
                .post(tenant, "standard").statusCode(401);
        SignedDelivery.standard("whsec_d3JvbmdfZ3Vlc3M=", "msg_wrong", body, Instant.now()).post(tenant, "standard").statusCode(401);
        assertNothingWritten();

        SignedDelivery.standard(STANDARD_ROTATED, "msg_2pXWy", body, Instant.now()).post(tenant, "standard").statusCode(200);
        EventEnvelope envelope = single(fixture.drain(tenant));
        assertEquals("msg_2pXWy", envelope.id().eventKey());
        assertEquals("invoice.paid", envelope.eventType());
    }

    @Test
    void finchDeliveryWithToleranceAndRotation() {
        String body = "{\"company_id\":\"c-1\",\"event_type\":\"job.benefit_create.completed\",\"data\":{}}";
        SignedDelivery.finch(FINCH_SECRET, "fe-stale", body, Instant.now().minusSeconds(301)).post(tenant, "finch").statusCode(401);
        assertNothingWritten();

        SignedDelivery.finch(FINCH_ROTATED, "fe-1", body, Instant.now()).post(tenant, "finch").statusCode(200);
        EventEnvelope envelope = single(fixture.drain(tenant));
        assertEquals("fe-1", envelope.id().eventKey());
        assertEquals("job.benefit_create.completed", envelope.eventType());
    }

    static String stripeEvent(String id, String type, long created) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":" + created
                + ",\"data\":{\"object\":{\"id\":\"cus_9\"}}}";
    }

    private void assertNothingWritten() {
        assertTrue(fixture.records(tenant).isEmpty(), "no event record may exist");
        assertTrue(fixture.drain(tenant).isEmpty(), "no message may be enqueued");
    }

    private static EventEnvelope single(List<EventEnvelope> envelopes) {
        assertEquals(1, envelopes.size(), "exactly one message");
        return envelopes.get(0);
    }
}
