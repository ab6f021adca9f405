package dev.ledgerhook.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ledgerhook.ledger.ClaimOutcome;
import dev.ledgerhook.ledger.ClaimRequest;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.ledger.EventLedger;
import dev.ledgerhook.outcomes.OutcomeLog;
import dev.ledgerhook.providers.MalformedDeliveryException;
import dev.ledgerhook.providers.ProviderEvent;
import dev.ledgerhook.providers.SignatureException;
import dev.ledgerhook.providers.WebhookProvider;
import dev.ledgerhook.providers.WebhookProviders;
import dev.ledgerhook.providers.WebhookRequest;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.queue.EventQueue;
import dev.ledgerhook.secrets.SecretResolver;
import dev.ledgerhook.secrets.SecretUnavailableException;
import dev.ledgerhook.tenants.SourceConfig;
import dev.ledgerhook.tenants.TenantDirectory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One delivery, from bytes to answer: look up the source, check size and type, verify the
 * signature, parse, claim each event, enqueue the new ones, answer. Nothing is written before the
 * signature verifies (invariant 1); a 2xx goes out only when every event is enqueued or was by an
 * earlier delivery (invariant 2).
 */
@ApplicationScoped
public class DeliveryIntake {

    private final TenantDirectory tenants;
    private final SecretResolver secrets;
    private final WebhookProviders providers;
    private final EventLedger ledger;
    private final EventQueue queue;
    private final IngestConfig config;
    private final OutcomeLog outcomes;
    private final Clock clock = Clock.systemUTC();

    public DeliveryIntake(TenantDirectory tenants, SecretResolver secrets, WebhookProviders providers,
                          EventLedger ledger, EventQueue queue, IngestConfig config, OutcomeLog outcomes) {
        this.tenants = tenants;
        this.secrets = secrets;
        this.providers = providers;
        this.ledger = ledger;
        this.queue = queue;
        this.config = config;
        this.outcomes = outcomes;
    }

    public IntakeResult handle(String tenant, String source, Optional<String> contentType, WebhookRequest request) {
        long started = System.nanoTime();
        Delivery delivery = new Delivery(tenant, source, started);
        if (!EventId.NAME.matcher(tenant).matches() || !EventId.NAME.matcher(source).matches()) {
            return delivery.reject(404, "not_found", "no such webhook endpoint");
        }
        TenantDirectory.Lookup lookup;
        try {
            lookup = tenants.lookUp(tenant, source);
        } catch (SdkException e) {
            // nothing is known about the source yet, so nothing can be verified or written
            return delivery.unavailable("tenants_unavailable", "the tenant store is unavailable; retry later");
        }
        if (lookup instanceof TenantDirectory.Lookup.Found found) {
            return handle(found.source(), contentType, request, delivery);
        }
        if (lookup instanceof TenantDirectory.Lookup.Misconfigured bad) {
            return delivery.unavailable("source_misconfigured", "this source's configuration is unusable: " + bad.reason());
        }
        return delivery.reject(404, "not_found", "no such webhook endpoint");
    }

    private IntakeResult handle(SourceConfig source, Optional<String> contentType, WebhookRequest request,
                                Delivery delivery) {
        WebhookProvider provider = providers.forType(source.type());
        Duration retention = source.retention().orElse(config.defaultRetention());
        if (retention.compareTo(provider.retryWindow()) < 0) {
            return delivery.unavailable("source_misconfigured",
                    "this source's retention is shorter than the provider's retry window");
        }
        if (request.body().length > config.maxBodyBytes()) {
            return delivery.reject(413, "payload_too_large", "body exceeds " + config.maxBodyBytes() + " bytes");
        }
        if (!isJson(contentType)) {
            return delivery.reject(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        List<String> secretValues;
        try {
            secretValues = secrets.resolveAll(source.secretRefs());
        } catch (SecretUnavailableException e) {
            return delivery.unavailable("secret_unavailable", "the source's signing secret cannot be read now");
        }
        try {
            provider.verify(request, secretValues, clock.instant());
        } catch (SignatureException e) {
            return delivery.reject(401, "invalid_signature", e.getMessage());
        }
        List<ProviderEvent> events;
        try {
            events = provider.parse(request);
        } catch (MalformedDeliveryException e) {
            return delivery.reject(400, "malformed_payload", e.getMessage());
        }
        if (events.isEmpty()) {
            return provider.acceptsEmptyDelivery() ? delivery.intentToReceive()
                    : delivery.reject(400, "malformed_payload", "the delivery holds no events");
        }
        return claimAndEnqueue(source, retention, events, delivery);
    }

    private IntakeResult claimAndEnqueue(SourceConfig source, Duration retention, List<ProviderEvent> events,
                                         Delivery delivery) {
        Instant now = clock.instant();
        List<ClaimOutcome> outcomes = new ArrayList<>(events.size());
        List<EventEnvelope> toSend = new ArrayList<>();
        List<ClaimOutcome.Claimed> claims = new ArrayList<>();
        try {
            for (ProviderEvent event : events) {
                EventId id = new EventId(source.tenant(), source.name(), event.eventKey());
                String hash = sha256(event.payload());
                ClaimRequest request = new ClaimRequest(id, hash, event.version(), event.eventType(), now,
                        config.claimLease(), retention);
                ClaimOutcome outcome = ledger.claim(request);
                outcomes.add(outcome);
                if (outcome instanceof ClaimOutcome.Claimed claimed) {
                    claims.add(claimed);
                    toSend.add(new EventEnvelope(id, source.type().id(), event.eventType(), event.version(), hash,
                            now.toEpochMilli(), request.expiresAt(), event.payload()));
                }
            }
        } catch (SdkException | IllegalArgumentException e) {
            claims.forEach(this::releaseQuietly);
            return delivery.unavailable("claim_failed", "the event store is unavailable; retry later");
        }
        return enqueue(claims, toSend, outcomes, delivery);
    }

    private IntakeResult enqueue(List<ClaimOutcome.Claimed> claims, List<EventEnvelope> envelopes,
                                 List<ClaimOutcome> outcomes, Delivery delivery) {
        List<Boolean> sent = envelopes.isEmpty() ? List.of() : queue.send(envelopes);
        boolean sendFailed = false;
        for (int i = 0; i < claims.size(); i++) {
            if (sent.get(i)) {
                markQuietly(claims.get(i));
            } else {
                sendFailed = true;
                releaseQuietly(claims.get(i));
                delivery.event(claims.get(i).id(), "send_failed", Map.of("released", true));
            }
        }
        Tally tally = new Tally();
        for (ClaimOutcome outcome : outcomes) {
            tally.add(outcome, claims, sent, delivery);
        }
        if (sendFailed) {
            return delivery.unavailable("enqueue_failed", "the queue is unavailable; retry later");
        }
        if (tally.inFlightUntil > 0) {
            long seconds = Math.max(1, (tally.inFlightUntil - clock.millis() + 999) / 1000);
            return delivery.unavailable("in_flight", "an earlier delivery of this event is still being enqueued", seconds);
        }
        return delivery.accepted(tally.received, tally.duplicates);
    }

    /** Counts a delivery's claim outcomes and writes one outcome line per event. */
    private static final class Tally {
        int received;
        int duplicates;
        long inFlightUntil;

        void add(ClaimOutcome outcome, List<ClaimOutcome.Claimed> claims, List<Boolean> sent, Delivery delivery) {
            if (outcome instanceof ClaimOutcome.Claimed claimed) {
                if (sent.get(claims.indexOf(claimed))) {
                    received++;
                    delivery.event(claimed.id(), claimed.tookOver() ? "taken_over" : "accepted", Map.of());
                }
            } else if (outcome instanceof ClaimOutcome.Duplicate duplicate) {
                duplicates++;
                delivery.event(duplicate.id(), "duplicate", Map.of("status", duplicate.status().name(),
                        "firstReceivedAt", Instant.ofEpochMilli(duplicate.firstReceivedAt()).toString(),
                        "deliveries", duplicate.deliveries() + 1));
            } else if (outcome instanceof ClaimOutcome.Collision collision) {
                duplicates++;
                delivery.event(collision.id(), "collision", Map.of("storedHash", collision.storedHash(),
                        "deliveredHash", collision.deliveredHash(),
                        "firstReceivedAt", Instant.ofEpochMilli(collision.firstReceivedAt()).toString()));
            } else if (outcome instanceof ClaimOutcome.InFlight inFlight) {
                inFlightUntil = Math.max(inFlightUntil, inFlight.leaseUntil());
                delivery.event(inFlight.id(), "in_flight",
                        Map.of("leaseUntil", Instant.ofEpochMilli(inFlight.leaseUntil()).toString()));
            }
        }
    }

    private void markQuietly(ClaimOutcome.Claimed claim) {
        try {
            ledger.markEnqueued(claim);
        } catch (SdkException e) {
            // the send is durable; a duplicate meanwhile answers 503 until the lease runs out
        }
    }

    private void releaseQuietly(ClaimOutcome.Claimed claim) {
        try {
            ledger.release(claim);
        } catch (SdkException e) {
            // the lease running out re-opens the key instead
        }
    }

    static boolean isJson(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String type = contentType.get().split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    static String sha256(String payload) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome lines of one delivery: one per event, or one for the whole request when refused. */
    private final class Delivery {
        private final String tenant;
        private final String source;
        private final long started;

        Delivery(String tenant, String source, long started) {
            this.tenant = tenant;
            this.source = source;
            this.started = started;
        }

        IntakeResult reject(int status, String error, String message) {
            request(error, Map.of("status", status, "reason", message));
            return new IntakeResult.Rejected(status, error, message);
        }

        IntakeResult unavailable(String error, String message) {
            return unavailable(error, message, 5);
        }

        IntakeResult unavailable(String error, String message, long retryAfterSeconds) {
            request(error, Map.of("status", 503, "reason", message));
            return new IntakeResult.Unavailable(error, message, retryAfterSeconds);
        }

        IntakeResult intentToReceive() {
            request("intent_to_receive", Map.of("status", 200));
            return new IntakeResult.IntentToReceive();
        }

        IntakeResult accepted(int received, int duplicates) {
            return new IntakeResult.Accepted(received, duplicates);
        }

        void event(EventId id, String outcome, Map<String, ?> extra) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("tenant", tenant);
            fields.put("source", source);
            fields.put("eventKey", id.eventKey());
            fields.putAll(extra);
            outcomes.record("ingest", outcome, elapsedMs(), fields);
        }

        private void request(String outcome, Map<String, ?> extra) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("tenant", tenant);
            fields.put("source", source);
            fields.putAll(extra);
            outcomes.record("ingest", outcome, elapsedMs(), fields);
        }

        private double elapsedMs() {
            return (System.nanoTime() - started) / 1_000_000.0;
        }
    }
}
