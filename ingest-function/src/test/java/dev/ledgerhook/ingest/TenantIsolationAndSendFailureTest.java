package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.tenants.SourceConfig;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.TestStackResource;
import dev.ledgerhook.tenants.TenantDirectory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class TenantIsolationAndSendFailureTest {

    @Inject
    IngestFixture fixture;
    @Inject
    SqsClient sqs;
    @Inject
    DynamoDbClient dynamoDb;
    @Inject
    StackResources resources;
    @Inject
    TenantDirectory directory;

    @Test
    void aSignatureValidForTenantAIsRefusedAtTenantB() {
        String a = fixture.newTenant();
        String b = fixture.newTenant();
        fixture.putSource(new SourceConfig(b, "stripe", SourceType.STRIPE, List.of("inline:whsec_tenant_b_only"),
                Optional.empty()));
        String body = ProviderDeliveriesTest.stripeEvent("evt_cross", "customer.created", 1_700_000_000);

        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(b, "stripe").statusCode(401);

        assertTrue(fixture.records(b).isEmpty());
        assertTrue(fixture.drain(b).isEmpty());
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(a, "stripe").statusCode(200);
        assertEquals(1, fixture.drain(a).size());
    }

    @Test
    void theSameEventIdUnderTwoTenantsIsTwoEvents() {
        String a = fixture.newTenant();
        String b = fixture.newTenant();
        String body = ProviderDeliveriesTest.stripeEvent("evt_shared_id", "customer.created", 1_700_000_000);

        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(a, "stripe").statusCode(200).body("received", equalTo(1));
        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(b, "stripe").statusCode(200).body("received", equalTo(1));

        EventEnvelope first = fixture.drain(a).get(0);
        EventEnvelope second = fixture.drain(b).get(0);
        assertNotEquals(first.id().pk(), second.id().pk());
    }

    @Test
    void aFailedSendAnswers503ReleasesTheClaimAndTheRetryIsProcessed() {
        String tenant = fixture.newTenant();
        String body = ProviderDeliveriesTest.stripeEvent("evt_send_fail", "customer.created", 1_700_000_000);
        String queueUrl = resources.eventsQueueUrl();
        sqs.deleteQueue(delete -> delete.queueUrl(queueUrl));
        try {
            SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe")
                    .statusCode(503).body("error", equalTo("enqueue_failed"));
            assertTrue(fixture.records(tenant).isEmpty(), "the claim is released so the retry is not dropped");
        } finally {
            new StackProvisioner(dynamoDb, sqs).createQueue(StackDefinition.EVENTS_QUEUE, StackDefinition.DEFAULT_STACK_NAME);
        }

        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200).body("received", equalTo(1));

        List<EventEnvelope> envelopes = fixture.drain(tenant);
        assertEquals(1, envelopes.size());
        assertEquals(new EventId(tenant, "stripe", "evt_send_fail"), envelopes.get(0).id());
    }

    @Test
    void anUnreachableTenantStoreAnswers503AndWritesNothing() {
        String tenant = fixture.newTenant();
        String body = ProviderDeliveriesTest.stripeEvent("evt_store_down", "customer.created", 1_700_000_000);
        directory.invalidate();
        String table = resources.tenantsTable();
        List<Map<String, AttributeValue>> kept = dynamoDb.scanPaginator(scan -> scan.tableName(table)).items().stream().toList();
        dynamoDb.deleteTable(delete -> delete.tableName(table));
        try {
            SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe")
                    .statusCode(503).header("Retry-After", equalTo("5")).body("error", equalTo("tenants_unavailable"));
            assertTrue(fixture.records(tenant).isEmpty());
            assertTrue(fixture.drain(tenant).isEmpty());
        } finally {
            new StackProvisioner(dynamoDb, sqs).createTable(StackDefinition.TENANTS_TABLE, StackDefinition.DEFAULT_STACK_NAME);
            kept.forEach(item -> dynamoDb.putItem(put -> put.tableName(table).item(item)));
            directory.invalidate();
        }

        SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now()).post(tenant, "stripe").statusCode(200).body("received", equalTo(1));
        assertEquals(1, fixture.drain(tenant).size());
    }
}
