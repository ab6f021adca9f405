package dev.ledgerhook.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.operator.signing.DeliverySigner;
import dev.ledgerhook.operator.signing.SampleEvents;
import dev.ledgerhook.providers.SourceType;

/** Signed deliveries to the local default's demo tenant, and the simulator's control API. */
final class Deliveries {

    /** A delivery as sent: its provider, its signed request, and the event key the ingest will use. */
    record Delivery(SourceType type, HttpRequest request, String body) {
    }

    static final String SIMULATOR = "http://127.0.0.1:8089";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Deliveries() {
    }

    /** A fresh sample event of {@code type}, signed with the demo tenant's secret. */
    static Delivery sample(SourceType type) {
        Instant now = Instant.now();
        SampleEvents.Sample sample = SampleEvents.of(type, now);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/webhooks/demo/" + type.id()))
                .timeout(Duration.ofSeconds(35)).POST(HttpRequest.BodyPublishers.ofString(sample.body()));
        DeliverySigner.headers(type, DemoTenant.SECRETS.get(type), sample.eventId(), "customers/create", sample.body(), now)
                .forEach(request::header);
        return new Delivery(type, request.build(), sample.body());
    }

    static HttpResponse<String> send(Delivery delivery) throws IOException, InterruptedException {
        return HTTP.send(delivery.request(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode simulator(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(SIMULATOR + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        return answer.isBlank() ? JSON.nullNode() : JSON.readTree(answer);
    }

    /** Customers created in the demo company since start (the seed's are not counted). */
    static long customerCreates() throws IOException, InterruptedException {
        return simulator("GET", "/sim/stats/" + SampleEvents.DEMO_REALM, null)
                .path("entities").path("Customer").path("creates").asLong();
    }

    /** How many customers of the demo company Ledgerhook created for the source object {@code sourceId}. */
    static int customersFor(String sourceId) throws IOException, InterruptedException {
        JsonNode customers = simulator("GET", "/sim/entities/" + SampleEvents.DEMO_REALM + "/Customer", null).path("Customer");
        int count = 0;
        for (JsonNode customer : customers) {
            if (customer.path("Notes").asText().contains(" " + sourceId + "]")) {
                count++;
            }
        }
        return count;
    }
}
