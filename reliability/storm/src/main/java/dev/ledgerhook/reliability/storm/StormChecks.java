package dev.ledgerhook.reliability.storm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ledgerhook.local.DemoTenant;
import dev.ledgerhook.local.LocalDefault;
import dev.ledgerhook.reliability.storm.PlannedEvent.Effect;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The invariants, checked after the storm against what is really there: the events table, the
 * simulator's companies (every entity, by its Ledgerhook marker), the entity mirror, and the
 * interceptor's record of claims and sends inside the functions.
 */
final class StormChecks {

    private static final Pattern MARKER = Pattern.compile("\\[ledgerhook (\\w+) ([^\\]]+)\\]");
    private static final List<String> ENTITIES = List.of("Customer", "SalesReceipt", "RefundReceipt", "Invoice", "Payment");

    private final StormPlan plan;
    private final LocalDefault local;
    private final FaultLog log;
    private final ProviderSender sender;
    private final SimulatorControl simulator;

    StormChecks(StormPlan plan, LocalDefault local, FaultLog log, ProviderSender sender, SimulatorControl simulator) {
        this.plan = plan;
        this.local = local;
        this.log = log;
        this.sender = sender;
        this.simulator = simulator;
    }

    StormReport report(Duration sending, Duration wall, int dlqBefore, int dlqAfter, int redriven, Storm.Killer killer,
                       JsonNode stats) throws Exception {
        StormReport report = new StormReport();
        report.events = plan.events.size();
        report.deliveries = sender.deliveries.sum();
        report.plannedDuplicates = plan.deliveries() - plan.events.size();
        report.duplicatesDetected = sender.duplicates.sum();
        report.receivedAnswers = sender.received.sum();
        report.attempts = sender.attempts.sum();
        report.answers = new TreeMap<>(sender.answers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum())));
        report.connectionErrors = sender.connectionErrors.sum();
        report.ackLatenciesMicros = new ArrayList<>(sender.ackLatenciesMicros);
        report.sending = sending;
        report.wall = wall;
        report.dlqBefore = dlqBefore;
        report.dlqAfter = dlqAfter;
        report.redriven = redriven;
        report.randomKills = Map.of("ingest", killer.ingestKills.get(), "worker", killer.workerKills.get());
        report.windowKills = log.kills;
        report.sdkFaults = log.faults;
        report.sdkFaultsSurfaced = log.surfaced;
        report.interceptorLoadedIn = log.loadedIn;
        report.simulatorFaulted = stats.path("faulted").asLong();
        report.simulatorThrottled = stats.path("throttled").asLong();
        report.simulatorRequests = stats.path("requests").asLong();
        report.reversedCustomers = plan.reversedCustomers;
        if (sender.unacknowledged.sum() > 0) {
            report.violations.add(sender.unacknowledged.sum() + " deliveries never acknowledged");
        }
        sender.refusals.stream().limit(10).forEach(refusal -> report.violations.add("refused: " + refusal));
        checkStates(report);
        checkEffects(report, stats);
        checkSends(report);
        return report;
    }

    /** Every unique event is in the events table in its final state; every 2xx answer's event among them. */
    private void checkStates(StormReport report) {
        DynamoDbClient dynamoDb = local.emulators().dynamoDb();
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        dynamoDb.scanPaginator(scan -> scan.tableName(local.resources().eventsTable()).consistentRead(true))
                .items().forEach(item -> items.put(item.get("pk").s(), item));
        Map<String, Integer> states = new TreeMap<>();
        int notAccounted = 0;
        for (PlannedEvent event : plan.events) {
            Map<String, AttributeValue> item = items.remove(event.pk());
            String status = item == null ? "MISSING" : item.get("status").s();
            states.merge(status, 1, Integer::sum);
            if (!status.equals(event.expectedStatus())) {
                if (sender.acked.containsKey(event.index())) {
                    notAccounted++;
                }
                if (report.violations.size() < 40) {
                    report.violations.add(event.type().id() + " " + event.topic() + " " + event.eventKey() + " is " + status
                            + ", expected " + event.expectedStatus()
                            + (item != null && item.containsKey("errorCode") ? " (" + item.get("errorCode").s() + ": "
                            + item.getOrDefault("errorMessage", AttributeValue.fromS("")).s() + ")" : ""));
                }
            }
        }
        report.finalStates = states;
        report.ackedNotAccounted = notAccounted;
        report.unexpectedEventRecords = items.size();
        if (notAccounted > 0) {
            report.violations.add(notAccounted + " events answered 2xx are not COMPLETED/SKIPPED");
        }
        if (!items.isEmpty()) {
            report.violations.add(items.size() + " event records the storm did not send, e.g. " + items.keySet().iterator().next());
        }
    }

    /** Exactly one accounting entity per expected effect, none missing, none doubled, newest version kept. */
    private void checkEffects(StormReport report, JsonNode stats) throws Exception {
        Map<Effect, Integer> expected = new HashMap<>();
        for (PlannedEvent event : plan.events) {
            event.effects().forEach(effect -> expected.put(effect, 0));
        }
        Map<Effect, JsonNode> found = new HashMap<>();
        int unexpected = 0;
        for (String entity : ENTITIES) {
            JsonNode all = simulator.get("/sim/entities/" + StormPlan.QUICKBOOKS_REALM + "/" + entity).path(entity);
            for (JsonNode stored : all) {
                Matcher marker = MARKER.matcher(stored.path("Notes").asText() + " " + stored.path("PrivateNote").asText());
                if (!marker.find()) {
                    continue; // the demo company's seed
                }
                Effect effect = new Effect(marker.group(1), marker.group(2));
                if (expected.containsKey(effect)) {
                    expected.merge(effect, 1, Integer::sum);
                    found.put(effect, stored);
                } else {
                    unexpected++;
                }
            }
            long creates = stats.path("entities").path(entity).path("creates").asLong();
            long planned = expected.keySet().stream().filter(e -> e.entity().equals(entity)).count();
            report.createsByEntity.put(entity, creates + "/" + planned);
            if (creates != planned) {
                report.violations.add("simulator /sim/stats: " + creates + " " + entity + " creates, expected " + planned);
            }
        }
        report.expectedEffects = expected.size();
        report.effects = expected.values().stream().filter(count -> count > 0).count();
        report.missing = expected.values().stream().filter(count -> count == 0).count();
        report.doubled = expected.values().stream().filter(count -> count > 1).count();
        report.unexpectedEffects = unexpected;
        expected.entrySet().stream().filter(e -> e.getValue() != 1).limit(10)
                .forEach(e -> report.violations.add(e.getKey() + " has " + e.getValue() + " entities, expected 1"));
        if (unexpected > 0) {
            report.violations.add(unexpected + " marked entities no storm event asked for");
        }
        int stale = 0;
        for (Map.Entry<Effect, String> newest : plan.newestEmail.entrySet()) {
            JsonNode stored = found.get(newest.getKey());
            String email = stored == null ? "" : stored.path("PrimaryEmailAddr").path("Address").asText();
            if (stored != null && !newest.getValue().equals(email)) {
                stale++;
                if (stale <= 5) {
                    report.violations.add(newest.getKey() + " holds '" + email + "', the newest version has '" + newest.getValue() + "'");
                }
            }
        }
        report.versionedCustomers = plan.versionedCustomers();
        report.staleVersions = stale;
        Set<Effect> mirrored = plan.events.stream().flatMap(e -> e.mirrored().stream()).collect(Collectors.toSet());
        int mirrorMissing = 0;
        for (Effect entity : mirrored) {
            Map<String, AttributeValue> item = local.emulators().dynamoDb().getItem(get -> get.tableName(local.resources().entityMirrorTable())
                    .consistentRead(true).key(Map.of("pk", AttributeValue.fromS(DemoTenant.ID + "#" + entity.entity() + "#"
                            + entity.sourceId())))).item();
            if (item == null || item.isEmpty()) {
                mirrorMissing++;
                report.violations.add("entity mirror has no " + entity);
            }
        }
        report.mirroredEntities = mirrored.size() - mirrorMissing;
    }

    /**
     * Sends to the events queue, per event key, against the claims won: a duplicate delivery loses
     * its conditional put and can send nothing. The design allows a second message only after the
     * claim was won again: a take-over of a RECEIVED claim whose lease ran out (its holder died or
     * could not confirm its send), or a fresh claim after a send failure released it; and the extra
     * copy of a send whose response was lost (on the queue, but the caller saw a failure).
     */
    private void checkSends(StormReport report) {
        Map<String, Integer> resends = new TreeMap<>();
        int never = 0;
        int beyond = 0;
        for (PlannedEvent event : plan.events) {
            int[] counts = log.of(event.pk());
            int sends = counts[FaultLog.SENDS];
            int allowed = counts[FaultLog.CLAIMS] + counts[FaultLog.TAKEOVERS] + counts[FaultLog.LOST];
            if (sends == 0) {
                never++;
            } else if (sends > allowed) {
                beyond++;
                if (beyond <= 10) {
                    report.violations.add(event.pk() + ": " + sends + " messages for " + counts[FaultLog.CLAIMS] + " claims, "
                            + counts[FaultLog.TAKEOVERS] + " take-overs, " + counts[FaultLog.LOST] + " lost responses");
                }
            }
            if (sends > 1) {
                String reason = counts[FaultLog.TAKEOVERS] > 0 ? "after a take-over"
                        : counts[FaultLog.LOST] > 0 ? "after a lost send response" : counts[FaultLog.CLAIMS] > 1 ? "after a released claim"
                        : "unexplained";
                resends.merge(reason, sends - 1, Integer::sum);
            }
        }
        report.messagesSent = plan.events.stream().mapToInt(e -> log.of(e.pk())[FaultLog.SENDS]).sum();
        report.resends = resends;
        report.sendsBeyondDesign = beyond;
        report.neverEnqueued = never;
        if (never > 0) {
            report.violations.add(never + " events never reached the events queue");
        }
        if (beyond > 0) {
            report.violations.add(beyond + " events got more messages than claims won");
        }
        for (String function : List.of("ledgerhook-ingest", "ledgerhook-worker")) {
            if (log.loadedIn.getOrDefault(function, 0) == 0) {
                report.violations.add("the fault interceptor was not loaded in " + function);
            }
        }
    }
}
