package dev.ledgerhook.quickbooks.simulator;

import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fault injection of one realm, set at run time over {@code /sim/faults/{realm}}. */
final class Faults {

    double errorRate;
    double throttleRate;
    double timeoutRate;
    long latencyMs;
    long timeoutMs = 10_000;
    int failNext;
    int failNextStatus = 503;
    int dropResponseNext;
    int staleNext;
    /** Writes refused with 6000 (a business rule, e.g. a closed books period), answered and remembered per requestid as QuickBooks does. */
    int rejectNext;
    Random random = new Random(1);

    static Faults from(JsonNode json) {
        Faults faults = new Faults();
        faults.errorRate = json.path("errorRate").asDouble(0);
        faults.throttleRate = json.path("throttleRate").asDouble(0);
        faults.timeoutRate = json.path("timeoutRate").asDouble(0);
        faults.latencyMs = json.path("latencyMs").asLong(0);
        faults.timeoutMs = json.path("timeoutMs").asLong(10_000);
        faults.failNext = json.path("failNext").asInt(0);
        faults.failNextStatus = json.path("failNextStatus").asInt(503);
        faults.dropResponseNext = json.path("dropResponseNext").asInt(0);
        faults.staleNext = json.path("staleNext").asInt(0);
        faults.rejectNext = json.path("rejectNext").asInt(0);
        faults.random = new Random(json.path("seed").asLong(1));
        return faults;
    }

    ObjectNode toJson() {
        return SimulatedAnswer.JSON.createObjectNode().put("errorRate", errorRate).put("throttleRate", throttleRate)
                .put("timeoutRate", timeoutRate).put("latencyMs", latencyMs).put("timeoutMs", timeoutMs)
                .put("failNext", failNext).put("failNextStatus", failNextStatus)
                .put("dropResponseNext", dropResponseNext).put("staleNext", staleNext)
                .put("rejectNext", rejectNext);
    }
}
