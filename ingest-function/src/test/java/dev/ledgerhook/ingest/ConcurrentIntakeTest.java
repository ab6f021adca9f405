package dev.ledgerhook.ingest;

import static dev.ledgerhook.ingest.IngestFixture.STRIPE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.providers.WebhookRequest;
import dev.ledgerhook.teststack.TestStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many containers receiving the same event at the same moment. The Lambda test server feeds the
 * HTTP surface one request at a time, as one Lambda container does, so this drives the intake from
 * many threads at once, released together, against the real emulators (moto for DynamoDB, ElasticMQ).
 */
@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class ConcurrentIntakeTest {

    @Inject
    IngestFixture fixture;

    @Inject
    DeliveryIntake intake;

    @Test
    void simultaneousDeliveriesOfOneEventEnqueueItExactlyOnce() throws Exception {
        String tenant = fixture.newTenant();
        int threads = 16;
        for (int round = 0; round < 5; round++) {
            String body = ProviderDeliveriesTest.stripeEvent("evt_race_" + round, "charge.succeeded", 1_700_000_000);
            SignedDelivery signed = SignedDelivery.stripe(STRIPE_SECRET, body, Instant.now());
            WebhookRequest request = new WebhookRequest(
                    Map.of("Stripe-Signature", List.of(signed.headers.get("Stripe-Signature"))), signed.body);

            List<IntakeResult> results = race(threads, () -> intake.handle(tenant, "stripe", Optional.of("application/json"), request));

            long accepted = results.stream().filter(r -> r instanceof IntakeResult.Accepted a && a.received() == 1).count();
            assertEquals(1, accepted, "exactly one delivery wins the claim: " + results);
            assertTrue(results.stream().allMatch(r -> r instanceof IntakeResult.Accepted
                    || (r instanceof IntakeResult.Unavailable u && u.error().equals("in_flight"))), results.toString());
            assertEquals(1, fixture.drain(tenant).size(), "one SQS message for " + threads + " simultaneous deliveries");
        }
    }

    private static List<IntakeResult> race(int threads, Callable<IntakeResult> delivery) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<IntakeResult>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return delivery.call();
            }));
        }
        start.countDown();
        List<IntakeResult> results = new ArrayList<>();
        for (Future<IntakeResult> future : futures) {
            results.add(future.get());
        }
        pool.shutdown();
        return results;
    }
}
