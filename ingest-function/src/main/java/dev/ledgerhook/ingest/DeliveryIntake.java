package dev.ledgerhook.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import dev.ledgerhook.tracing.Tracer;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One delivery, from bytes to answer: look up the source, check size and type, verify the
 * signature, parse, claim each event, enqueue the new ones, answer. A delivery's claims, sends,
 * marks and releases run side by side on the {@link CallPool}. Nothing is written before the
 * signature verifies (invariant 1); a 2xx goes out only when every event is enqueued or was by an
 * earlier delivery (invariant 2). When the invocation is traced, the claims are one span
 * {@code claim} and the send one span {@code send} (see {@link Tracer}).
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
    private final CallPool calls;
    private final Tracer tracer;
    private final Clock clock = Clock.systemUTC();

    public DeliveryIntake(TenantDirectory tenants, SecretResolver secrets, WebhookProviders providers,
                          EventLedger ledger, EventQueue queue, IngestConfig config, OutcomeLog outcomes,
                          CallPool calls, Tracer tracer) {
        this.tenants = tenants;
        this.secrets = secrets;
        this.providers = providers;
        this.ledger = ledger;
        this.queue = queue;
        this.config = config;
        this.outcomes = outcomes;
        this.calls = calls;
        this.tracer = tracer;
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
        DeliveryEvents distinct;
        try {
            distinct = DeliveryEvents.of(pending(source, retention, events));
        } catch (IllegalArgumentException e) {
            return delivery.reject(400, "malformed_payload", e.getMessage());
        }
        Optional<List<Claim>> claims = tracer.trace("claim", delivery.annotations(distinct.claims()), span -> {
            Optional<List<Claim>> won = claimAll(distinct.rounds());
            if (won.isEmpty()) {
                span.fault();
            }
            return won;
        });
        if (claims.isEmpty()) {
            return delivery.unavailable("claim_failed", "the event store is unavailable; retry later");
        }
        return enqueue(claims.get(), distinct.repeated(), delivery);
    }

    private List<DeliveryEvents.Pending> pending(SourceConfig source, Duration retention, List<ProviderEvent> events) {
        Instant now = clock.instant();
        List<DeliveryEvents.Pending> pending = new ArrayList<>(events.size());
        for (ProviderEvent event : events) {
            EventId id = new EventId(source.tenant(), source.name(), event.eventKey());
            String hash = sha256(event.payload());
            ClaimRequest claim = new ClaimRequest(id, hash, event.version(), event.eventType(), now,
                    config.claimLease(), retention);
            pending.add(new DeliveryEvents.Pending(claim, new EventEnvelope(id, source.type().id(),
                    event.eventType(), event.version(), hash, now.toEpochMilli(), claim.expiresAt(), event.payload())));
        }
        return pending;
    }

    /**
     * Claims round by round, a round's claims side by side. When a claim fails, the claims this
     * delivery won are released before it answers 503, so the provider's retry finds them free
     * instead of held in flight until their lease runs out; empty then.
     */
    private Optional<List<Claim>> claimAll(List<List<DeliveryEvents.Pending>> rounds) {
        List<Claim> claims = new ArrayList<>();
        for (List<DeliveryEvents.Pending> round : rounds) {
            CallPool.Results<ClaimOutcome> outcomes = calls.each(round, event -> ledger.claim(event.claim()));
            for (int i = 0; i < round.size(); i++) {
                if (outcomes.values().get(i) != null) {
                    claims.add(new Claim(round.get(i), outcomes.values().get(i)));
                }
            }
            if (outcomes.failure() != null) {
                calls.all(won(claims), this::releaseQuietly);
                return Optional.empty();
            }
        }
        return Optional.of(claims);
    }

    /**
     * Sends the won events, then marks the sent ones ENQUEUED and releases the others. Until its mark
     * lands, a sent event's claim still reads RECEIVED, so a duplicate arriving in that window
     * answers 503 in_flight; its retry finds the mark, or the lease run out and takes over.
     */
    private IntakeResult enqueue(List<Claim> claims, List<DeliveryEvents.Pending> repeated, Delivery delivery) {
        List<ClaimOutcome.Claimed> won = won(claims);
        List<Boolean> sent = won.isEmpty() ? List.of() : send(envelopes(claims), delivery);
        List<ClaimOutcome.Claimed> enqueued = new ArrayList<>();
        List<ClaimOutcome.Claimed> unsent = new ArrayList<>();
        for (int i = 0; i < won.size(); i++) {
            (sent.get(i) ? enqueued : unsent).add(won.get(i));
        }
        calls.all(enqueued, this::markQuietly);
        calls.all(unsent, this::releaseQuietly);
        return answer(claims, unsent, repeated, delivery);
    }

    /** The SQS send of the won events, in one span; a span with events left unsent is a fault. */
    private List<Boolean> send(List<EventEnvelope> envelopes, Delivery delivery) {
        return tracer.trace("send", delivery.annotations(envelopes.size()), span -> {
            List<Boolean> sent = queue.send(envelopes, calls.executor());
            if (sent.contains(false)) {
                span.annotate("unsent", sent.stream().filter(ok -> !ok).count()).fault();
            }
            return sent;
        });
    }

    private IntakeResult answer(List<Claim> claims, List<ClaimOutcome.Claimed> unsent,
                                List<DeliveryEvents.Pending> repeated, Delivery delivery) {
        Set<EventId> released = new HashSet<>();
        unsent.forEach(claim -> released.add(claim.id()));
        Tally tally = new Tally();
        claims.forEach(claim -> tally.add(claim.outcome(), released, delivery));
        repeated.forEach(copy -> delivery.event(copy.id(), "repeated", Map.of("countedOnce", true)));
        if (!unsent.isEmpty()) {
            return delivery.unavailable("enqueue_failed", "the queue is unavailable; retry later");
        }
        if (tally.inFlightUntil > 0) {
            long seconds = Math.max(1, (tally.inFlightUntil - clock.millis() + 999) / 1000);
            return delivery.unavailable("in_flight", "an earlier delivery of this event is still being enqueued", seconds);
        }
        return delivery.accepted(tally.received, tally.duplicates);
    }

    /** The claims this delivery won; a key is won at most once per delivery (see DeliveryEvents). */
    private static List<ClaimOutcome.Claimed> won(List<Claim> claims) {
        return claims.stream().filter(Claim::won).map(claim -> (ClaimOutcome.Claimed) claim.outcome()).toList();
    }

    private static List<EventEnvelope> envelopes(List<Claim> claims) {
        return claims.stream().filter(Claim::won).map(claim -> claim.event().envelope()).toList();
    }

    /** One distinct event of the delivery and what its claim came to. */
    private record Claim(DeliveryEvents.Pending event, ClaimOutcome outcome) {

        boolean won() {
            return outcome instanceof ClaimOutcome.Claimed;
        }
    }

    /** Counts a delivery's claim outcomes and writes one outcome line per event. */
    private static final class Tally {
        int received;
        int duplicates;
        long inFlightUntil;

        void add(ClaimOutcome outcome, Set<EventId> released, Delivery delivery) {
            if (outcome instanceof ClaimOutcome.Claimed claimed) {
                if (!released.contains(claimed.id())) {
                    received++;
                    delivery.event(claimed.id(), claimed.tookOver() ? "taken_over" : "accepted", Map.of());
                } else {
                    delivery.event(claimed.id(), "send_failed", Map.of("released", true));
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

        /** What the delivery's spans are annotated with. */
        Map<String, Object> annotations(int events) {
            return Map.of("tenant", tenant, "source", source, "events", events);
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
