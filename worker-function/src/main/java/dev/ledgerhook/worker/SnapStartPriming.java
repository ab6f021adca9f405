package dev.ledgerhook.worker;

import jakarta.enterprise.context.ApplicationScoped;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.ledger.EventProgress;
import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.queue.MalformedEnvelopeException;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.worker.mappings.EventMappings;
import io.quarkus.runtime.Startup;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SnapStart priming: before Lambda takes the snapshot, run once what every batch runs, read-only.
 * Warms: the DynamoDB client (marshalling, SigV4, HTTP, parsing) through a GetItem of an event
 * record no event can have (its tenant is outside the tenant alphabet); the SQS client through
 * GetQueueAttributes on the events queue (allowed to the worker, changes nothing); the envelope
 * codec (Jackson) and the Stripe, Shopify and QuickBooks mappings over sample events (pure
 * computation, no accounting call); and the handler's thread pool, whose threads are started now.
 */
@Startup
@ApplicationScoped
public class SnapStartPriming implements Resource {

    private final EventProgress progress;
    private final EventMappings mappings;
    private final SqsClient sqs;
    private final StackResources resources;
    private final EventBatchHandler handler;

    public SnapStartPriming(EventProgress progress, EventMappings mappings, SqsClient sqs, StackResources resources,
                            EventBatchHandler handler) {
        this.progress = progress;
        this.mappings = mappings;
        this.sqs = sqs;
        this.resources = resources;
        this.handler = handler;
        // The global context holds resources weakly; this application-scoped bean keeps itself alive.
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to undo: priming read, never wrote
    }

    /** Returns how many of the priming steps ran without an unexpected failure. */
    int prime() {
        int ok = 0;
        try {
            progress.read(new EventId("priming", "priming", "evt_priming_never_claimed"));
            ok++;
        } catch (SdkException unavailable) {
            // the first batch pays for the warm-up instead
        }
        try {
            sqs.getQueueAttributes(get -> get.queueUrl(resources.eventsQueueUrl())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            ok++;
        } catch (SdkException unavailable) {
            // as above
        }
        ok += mapSample("stripe", "customer.created",
                "{\"id\":\"evt_priming\",\"type\":\"customer.created\",\"created\":0,\"data\":{\"object\":"
                        + "{\"id\":\"cus_priming\",\"name\":\"Priming\",\"email\":\"priming@example.com\"}}}");
        ok += mapSample("shopify", "customers/create",
                "{\"id\":1,\"first_name\":\"Priming\",\"last_name\":\"Sample\",\"email\":\"priming@example.com\"}");
        ok += mapSample("quickbooks", "Customer.Create",
                "{\"realmId\":\"1\",\"name\":\"Customer\",\"id\":\"1\",\"operation\":\"Create\","
                        + "\"lastUpdated\":\"2025-01-01T00:00:00.000Z\"}");
        handler.prestartThreads();
        return ok;
    }

    private int mapSample(String sourceType, String eventType, String payload) {
        EventEnvelope envelope = new EventEnvelope(new EventId("priming", sourceType, "evt_priming"), sourceType, eventType, 0,
                "0".repeat(64), 0, payload);
        try {
            EventEnvelope decoded = EnvelopeCodec.decode(EnvelopeCodec.encode(envelope));
            mappings.forType(sourceType).ifPresent(mapping -> mapping.map(decoded));
            return 1;
        } catch (MalformedEnvelopeException | RuntimeException unexpected) {
            return 0; // warmed as far as it got
        }
    }
}
