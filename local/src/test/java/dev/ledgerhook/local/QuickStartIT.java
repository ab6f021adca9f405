package dev.ledgerhook.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.operator.signing.SampleEvents;
import dev.ledgerhook.providers.SourceType;

/**
 * README's quick start, end to end, as a user runs it: {@code ./run-local} as a process, signed
 * deliveries of every provider (each one three times, two of them at once), the operator tool as
 * a process, the simulator's counters, a failure on purpose through the DLQ and its redrive, and
 * Ctrl-C.
 */
class QuickStartIT {

    private static final Duration START = Duration.ofMinutes(8);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyProviderOnceEachThenAFailureRedrivenFromTheDlq() throws Exception {
        try (RunLocal local = RunLocal.start()) {
            local.await(LocalMain.READY, START);
            assertEquals(JSON.readTree("{\"received\":1,\"duplicates\":0}"), JSON.readTree(runPrintedExample(local)));

            Map<SourceType, Deliveries.Delivery> sent = new TreeMap<>();
            for (SourceType type : SourceType.values()) {
                Deliveries.Delivery delivery = Deliveries.sample(type);
                assertEquals(List.of(1, 2), receivedAndDuplicates(deliverThrice(delivery)), type + " deliveries");
                sent.put(type, delivery);
            }
            JsonNode events = awaitFinished(7);
            assertEquals(7, events.size(), "the printed example and one event per provider: " + events);
            assertEquals(2, Deliveries.customerCreates(), "one customer from Stripe, one from Shopify");
            assertEquals(1, Deliveries.customersFor(stripeCustomer(sent.get(SourceType.STRIPE))));
            assertEquals(1, Deliveries.customersFor(shopifyCustomer(sent.get(SourceType.SHOPIFY))));

            Deliveries.simulator("PUT", "/sim/faults/" + SampleEvents.DEMO_REALM, "{\"failNext\":1,\"failNextStatus\":400}");
            Deliveries.Delivery broken = Deliveries.sample(SourceType.STRIPE);
            assertEquals(200, Deliveries.send(broken).statusCode());
            String eventKey = JSON.readTree(broken.body()).path("id").asText();
            JsonNode letter = awaitDeadLetter(eventKey);
            assertEquals("FAILED", show(eventKey).path("status").asText());

            Deliveries.simulator("DELETE", "/sim/faults/" + SampleEvents.DEMO_REALM, null);
            OperatorCli.Run redrive = OperatorCli.json("dlq", "redrive", letter.path("messageId").asText());
            assertEquals(0, redrive.exitCode(), redrive.err());
            assertEquals(1, redrive.json().path("redriven").asInt());
            JsonNode completed = awaitStatus(eventKey, "COMPLETED");
            assertTrue(completed.path("accountingIds").asText().startsWith("Customer:"), completed.toString());
            assertEquals(3, Deliveries.customerCreates());
            assertEquals(1, Deliveries.customersFor(stripeCustomer(broken)));
            assertEquals(0, OperatorCli.json("dlq", "list").json().size());
            assertEquals(1, OperatorCli.json("event", "replay", "demo", "stripe", eventKey).exitCode(),
                    "a completed event is not in the DLQ: nothing to replay");

            stopWithCtrlC(local);
        }
    }

    @Test
    void stateKeptOnDiskWithOneFlag(@org.junit.jupiter.api.io.TempDir Path data) throws Exception {
        Deliveries.Delivery delivery = Deliveries.sample(SourceType.STRIPE);
        String eventKey = JSON.readTree(delivery.body()).path("id").asText();
        try (RunLocal first = RunLocal.start("--data-dir", data.toString(), "--quiet")) {
            first.await(LocalMain.READY, START);
            assertEquals(200, Deliveries.send(delivery).statusCode());
            awaitStatus(eventKey, "COMPLETED");
            stopWithCtrlC(first);
        }
        assertTrue(Files.isRegularFile(data.resolve("quickbooks-simulator.json")));
        try (RunLocal second = RunLocal.start("--data-dir", data.toString(), "--quiet")) {
            assertTrue(second.await(LocalMain.READY, START).contains("found in the kept state"));
            HttpResponse<String> again = Deliveries.send(delivery);
            assertEquals(JSON.readTree("{\"received\":0,\"duplicates\":1}"), JSON.readTree(again.body()),
                    "the claim survived the restart");
            assertEquals("COMPLETED", show(eventKey).path("status").asText());
            assertEquals(1, Deliveries.customersFor(stripeCustomer(delivery)), "the simulator's company survived too");
            Deliveries.Delivery next = Deliveries.sample(SourceType.STRIPE);
            assertEquals(200, Deliveries.send(next).statusCode());
            awaitStatus(JSON.readTree(next.body()).path("id").asText(), "COMPLETED");
            stopWithCtrlC(second);
        }
    }

    /** Runs the curl command the banner printed, with bash, as a user pastes it. */
    private static String runPrintedExample(RunLocal local) throws Exception {
        String console = local.console();
        int start = console.indexOf("curl -sS");
        int end = console.indexOf("\n\n", start);
        Process curl = new ProcessBuilder("bash", "-c", console.substring(start, end)).start();
        String answer = new String(curl.getInputStream().readAllBytes()).trim();
        assertEquals(0, curl.waitFor());
        return answer;
    }

    /** Two deliveries at once, then a third; a 503 (in flight) is retried as providers retry. */
    private static List<JsonNode> deliverThrice(Deliveries.Delivery delivery) throws Exception {
        List<CompletableFuture<JsonNode>> concurrent = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            concurrent.add(CompletableFuture.supplyAsync(() -> deliverUntilAccepted(delivery)));
        }
        List<JsonNode> answers = new ArrayList<>();
        for (CompletableFuture<JsonNode> answer : concurrent) {
            answers.add(answer.join());
        }
        answers.add(deliverUntilAccepted(delivery));
        return answers;
    }

    private static JsonNode deliverUntilAccepted(Deliveries.Delivery delivery) {
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                HttpResponse<String> response = Deliveries.send(delivery);
                if (response.statusCode() == 200) {
                    return JSON.readTree(response.body());
                }
                assertEquals(503, response.statusCode(), response.body());
                Thread.sleep(500);
            }
            throw new AssertionError("never accepted: " + delivery.type());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> receivedAndDuplicates(List<JsonNode> answers) {
        int received = 0;
        int duplicates = 0;
        for (JsonNode answer : answers) {
            received += answer.path("received").asInt();
            duplicates += answer.path("duplicates").asInt();
        }
        return List.of(received, duplicates);
    }

    /** Waits until the demo tenant has {@code count} events and every one is COMPLETED or SKIPPED. */
    private static JsonNode awaitFinished(int count) throws Exception {
        JsonNode events = null;
        for (int i = 0; i < 60; i++) {
            events = OperatorCli.json("events", "list", "demo").json();
            boolean finished = events.size() == count;
            for (JsonNode event : events) {
                String status = event.path("status").asText();
                finished &= status.equals("COMPLETED") || status.equals("SKIPPED");
            }
            if (finished) {
                for (JsonNode event : events) {
                    String expected = List.of("stripe", "shopify", "quickbooks").contains(event.path("source").asText())
                            ? "COMPLETED" : "SKIPPED";
                    assertEquals(expected, event.path("status").asText(), event.toString());
                    assertEquals(1, event.path("attempts").asInt(), "processed once: " + event);
                }
                return events;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("events did not finish: " + events);
    }

    private static JsonNode awaitDeadLetter(String eventKey) throws Exception {
        for (int i = 0; i < 60; i++) {
            for (JsonNode letter : OperatorCli.json("dlq", "list").json()) {
                if (letter.path("eventKey").asText().equals(eventKey)) {
                    assertFalse(letter.path("errorCode").asText().isEmpty());
                    return letter;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(eventKey + " never reached the DLQ");
    }

    private static JsonNode awaitStatus(String eventKey, String status) throws Exception {
        JsonNode event = null;
        for (int i = 0; i < 60; i++) {
            OperatorCli.Run show = OperatorCli.json("event", "show", "demo", "stripe", eventKey);
            if (show.exitCode() == 0) {
                event = show.json();
                if (status.equals(event.path("status").asText())) {
                    return event;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(eventKey + " did not become " + status + ": " + event);
    }

    private static JsonNode show(String eventKey) throws Exception {
        OperatorCli.Run show = OperatorCli.json("event", "show", "demo", "stripe", eventKey);
        assertEquals(0, show.exitCode(), show.err());
        return show.json();
    }

    private static void stopWithCtrlC(RunLocal local) throws Exception {
        List<ProcessHandle> children = local.descendants();
        assertTrue(children.size() >= 6, "emulators and four containers: " + children.size());
        local.interrupt();
        Thread.sleep(2000);
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "every child stopped with run-local");
        for (int port : RunLocal.PORTS) {
            assertFalse(RunLocal.listening(port), "port " + port + " released");
        }
    }

    private static String stripeCustomer(Deliveries.Delivery delivery) throws Exception {
        return JSON.readTree(delivery.body()).path("data").path("object").path("id").asText();
    }

    private static String shopifyCustomer(Deliveries.Delivery delivery) throws Exception {
        return "customer-" + JSON.readTree(delivery.body()).path("id").asText();
    }
}
