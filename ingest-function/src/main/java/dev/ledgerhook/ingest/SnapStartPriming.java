package dev.ledgerhook.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.providers.WebhookProviders;
import dev.ledgerhook.providers.WebhookRequest;
import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.tenants.TenantDirectory;
import io.quarkus.runtime.Startup;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SnapStart priming: before Lambda takes the snapshot, run once what every delivery runs, so the
 * restored container starts with those classes loaded and initialized instead of paying for it on
 * the first webhook. Warms: the DynamoDB client (request marshalling, SigV4 signing, the HTTP
 * client, response parsing) through a real tenant lookup (a Query the function is allowed, for a
 * name no tenant can have: it has a character outside the tenant alphabet); the SQS client through a
 * SendMessage to a queue that does not exist (refused by SQS or IAM, nothing is sent); every
 * provider's header parsing and HMAC (a verification that fails) and Stripe's payload parsing
 * (Jackson); the envelope codec. Nothing is written anywhere. Quarkus' own SnapStart support
 * ({@code quarkus.snapstart.enabled}) has already started the application and preloaded classes.
 */
@Startup
@ApplicationScoped
public class SnapStartPriming implements Resource {

    static final String PRIMING_TENANT = "_priming";

    private final TenantDirectory tenants;
    private final WebhookProviders providers;
    private final SqsClient sqs;
    private final StackResources resources;

    public SnapStartPriming(TenantDirectory tenants, WebhookProviders providers, SqsClient sqs, StackResources resources) {
        this.tenants = tenants;
        this.providers = providers;
        this.sqs = sqs;
        this.resources = resources;
        // The global context holds resources weakly; this application-scoped bean keeps itself alive.
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to undo: the lookup cached only "unknown tenant" for a name no request can use,
        // and the SDK clients re-open connections the snapshot left stale.
        tenants.invalidate();
    }

    /** Returns how many of the priming steps ran without an unexpected failure. */
    int prime() {
        int ok = 0;
        try {
            tenants.lookUp(PRIMING_TENANT, "priming");
            ok++;
        } catch (SdkException unavailable) {
            // the restore still works; the first delivery pays for the warm-up instead
        }
        String body = "{\"id\":\"evt_priming\",\"object\":\"event\",\"type\":\"priming\",\"created\":0,\"data\":{\"object\":{}}}";
        WebhookRequest request = new WebhookRequest(Map.of(
                "Stripe-Signature", List.of("t=0,v1=" + "0".repeat(64)),
                "Content-Type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8));
        for (SourceType type : SourceType.values()) {
            try {
                providers.forType(type).verify(request, List.of("whsec_cHJpbWluZw=="), Instant.now());
            } catch (Exception expected) {
                ok++; // a forged signature: refused, as it must be
            }
        }
        try {
            providers.forType(SourceType.STRIPE).parse(request);
            ok++;
        } catch (Exception unexpected) {
            // parsing is warmed as far as it got
        }
        String envelope = EnvelopeCodec.encode(new EventEnvelope(new EventId("priming", "priming", "evt_priming"), "stripe",
                "priming", 0, "0".repeat(64), 0, body));
        try {
            sqs.sendMessage(send -> send.queueUrl(resources.eventsQueueUrl() + "-priming-does-not-exist").messageBody(envelope));
        } catch (SdkException expected) {
            ok++;
        }
        return ok;
    }
}
