package dev.ledgerhook.reliability.storm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ledgerhook.local.DemoTenant;
import dev.ledgerhook.operator.signing.DeliverySigner;
import dev.ledgerhook.providers.SourceType;

/**
 * Delivers like a provider: signs each attempt afresh (Stripe, Standard Webhooks and Finch sign
 * the time of sending), and retries anything but a 2xx with back-off, honouring Retry-After, until
 * it is acknowledged; a 4xx other than 429 is a refusal, not retried, and fails the storm.
 */
final class ProviderSender {

    private static final Pattern RECEIVED = Pattern.compile("\"received\"\\s*:\\s*(\\d+)");
    private static final Pattern DUPLICATES = Pattern.compile("\"duplicates\"\\s*:\\s*(\\d+)");
    private static final Duration GIVE_UP = Duration.ofMinutes(10);

    final LongAdder deliveries = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder connectionErrors = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder unacknowledged = new LongAdder();
    final Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> ackLatenciesMicros = new ConcurrentLinkedQueue<>();
    /** The events at least one of whose deliveries was answered 2xx. */
    final Map<Integer, Boolean> acked = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ProviderSender(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** One delivery of {@code event}, retried until acknowledged. */
    void deliver(PlannedEvent event) {
        deliveries.increment();
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        long backOff = 500;
        while (System.nanoTime() < giveUp) {
            attempts.increment();
            long started = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request(event), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                connectionErrors.increment();
                sleep(backOff);
                backOff = Math.min(backOff * 2, 5_000);
                continue;
            }
            long micros = (System.nanoTime() - started) / 1_000;
            int status = response.statusCode();
            answers.computeIfAbsent(status, s -> new LongAdder()).increment();
            if (status / 100 == 2) {
                acknowledged.increment();
                ackLatenciesMicros.add(micros);
                acked.put(event.index(), true);
                Matcher receivedCount = RECEIVED.matcher(response.body());
                Matcher duplicateCount = DUPLICATES.matcher(response.body());
                if (receivedCount.find() && duplicateCount.find()) {
                    received.add(Long.parseLong(receivedCount.group(1)));
                    duplicates.add(Long.parseLong(duplicateCount.group(1)));
                }
                return;
            }
            if (status / 100 == 4 && status != 429) {
                refused.increment();
                refusals.add(event.type().id() + " " + event.eventKey() + " -> " + status + " " + response.body());
                return;
            }
            long retryAfter = response.headers().firstValue("Retry-After").map(ProviderSender::seconds).orElse(0L) * 1000;
            sleep(Math.min(5_000, Math.max(backOff, retryAfter)));
            backOff = Math.min(backOff * 2, 5_000);
        }
        unacknowledged.increment();
    }

    private HttpRequest request(PlannedEvent event) {
        Instant at = event.triggeredAt() != null ? event.triggeredAt() : Instant.now();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + DemoTenant.ID + "/" + event.type().id()))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(event.body()));
        Map<String, String> headers = DeliverySigner.headers(event.type(), DemoTenant.SECRETS.get(event.type()), event.eventId(),
                event.topic(), event.body(), at);
        headers.forEach(request::header);
        if (event.type() == SourceType.SHOPIFY) {
            request.setHeader("X-Shopify-Webhook-Id", "wh-" + event.eventId());
        }
        return request.build();
    }

    private static long seconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
