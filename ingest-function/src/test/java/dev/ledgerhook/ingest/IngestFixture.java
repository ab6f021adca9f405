package dev.ledgerhook.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.queue.MalformedEnvelopeException;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.tenants.SourceConfig;
import dev.ledgerhook.tenants.TenantDirectory;
import dev.ledgerhook.tenants.TenantStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** Tenants, queue and ledger as the tests see them: all real, in the test stack. */
@ApplicationScoped
class IngestFixture {

    static final String STRIPE_SECRET = "whsec_test_stripe_secret";
    static final String STRIPE_ROTATED = "whsec_test_stripe_rotated";
    static final String SHOPIFY_SECRET = "shopify_test_secret";
    static final String SHOPIFY_ROTATED = "shopify_test_rotated";
    static final String QUICKBOOKS_TOKEN = "quickbooks_verifier_token";
    static final String QUICKBOOKS_ROTATED = "quickbooks_verifier_rotated";
    static final String XERO_KEY = "xero_webhook_key";
    static final String XERO_ROTATED = "xero_webhook_rotated";
    static final String STANDARD_SECRET = "whsec_dGVzdF9zdGFuZGFyZF93ZWJob29rc19zZWNyZXQ=";
    static final String STANDARD_ROTATED = "whsec_cm90YXRlZF9zdGFuZGFyZF9zZWNyZXRfMzJi";
    static final String FINCH_SECRET = "dGVzdF9maW5jaF93ZWJob29rX3NlY3JldF8zMmJ5dGVz";
    static final String FINCH_ROTATED = "cm90YXRlZF9maW5jaF9zZWNyZXRfMzJieXRlcyEhISE=";

    @Inject
    TenantStore tenants;
    @Inject
    TenantDirectory directory;
    @Inject
    StackResources resources;
    @Inject
    SqsClient sqs;
    @Inject
    DynamoDbClient dynamoDb;

    /** A new tenant with one source of each type, named after the type, each with its secret and a rotated one. */
    String newTenant() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.putTenant(tenant, true);
        source(tenant, SourceType.STRIPE, STRIPE_SECRET, STRIPE_ROTATED);
        source(tenant, SourceType.SHOPIFY, SHOPIFY_SECRET, SHOPIFY_ROTATED);
        source(tenant, SourceType.QUICKBOOKS, QUICKBOOKS_TOKEN, QUICKBOOKS_ROTATED);
        source(tenant, SourceType.XERO, XERO_KEY, XERO_ROTATED);
        source(tenant, SourceType.STANDARD, STANDARD_SECRET, STANDARD_ROTATED);
        source(tenant, SourceType.FINCH, FINCH_SECRET, FINCH_ROTATED);
        return tenant;
    }

    void disable(String tenant) {
        tenants.putTenant(tenant, false);
        directory.invalidate();
    }

    void retention(String tenant, SourceType type, Duration retention) {
        tenants.putSource(new SourceConfig(tenant, type.id(), type, List.of("inline:x"), Optional.of(retention)));
        directory.invalidate();
    }

    private void source(String tenant, SourceType type, String secret, String rotated) {
        tenants.putSource(new SourceConfig(tenant, type.id(), type, List.of("inline:" + secret, "inline:" + rotated),
                Optional.empty()));
    }

    /** Messages received for other tenants than the one a test drained, kept for their own test. */
    private final Map<String, List<EventEnvelope>> received = new ConcurrentHashMap<>();

    /** Every envelope on the queue for this tenant, received and deleted; waits briefly for stragglers. */
    List<EventEnvelope> drain(String tenant) {
        while (true) {
            List<Message> messages = sqs.receiveMessage(receive -> receive.queueUrl(resources.eventsQueueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(30)).messages();
            if (messages.isEmpty()) {
                List<EventEnvelope> mine = received.remove(tenant);
                return mine == null ? List.of() : mine;
            }
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (Message message : messages) {
                EventEnvelope envelope = decode(message.body());
                received.computeIfAbsent(envelope.id().tenant(), t -> new ArrayList<>()).add(envelope);
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                        .receiptHandle(message.receiptHandle()).build());
            }
            var deleted = sqs.deleteMessageBatch(delete -> delete.queueUrl(resources.eventsQueueUrl()).entries(deletes));
            if (!deleted.failed().isEmpty()) {
                throw new AssertionError("could not delete drained messages: " + deleted.failed());
            }
        }
    }

    void putSource(SourceConfig source) {
        tenants.putSource(source);
        directory.invalidate();
    }

    Map<String, AttributeValue> record(EventId id) {
        return dynamoDb.getItem(get -> get.tableName(resources.eventsTable()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(id.pk())))).item();
    }

    void putRecord(Map<String, AttributeValue> item) {
        dynamoDb.putItem(put -> put.tableName(resources.eventsTable()).item(item));
    }

    /** Every event record of a tenant (a scan: test-sized tables only). */
    List<Map<String, AttributeValue>> records(String tenant) {
        return dynamoDb.scanPaginator(scan -> scan.tableName(resources.eventsTable())
                        .filterExpression("tenant = :tenant")
                        .expressionAttributeValues(Map.of(":tenant", AttributeValue.fromS(tenant))))
                .items().stream().toList();
    }

    private static EventEnvelope decode(String body) {
        try {
            return EnvelopeCodec.decode(body);
        } catch (MalformedEnvelopeException e) {
            throw new AssertionError("the ingest function enqueued a malformed envelope: " + e.getMessage());
        }
    }
}
