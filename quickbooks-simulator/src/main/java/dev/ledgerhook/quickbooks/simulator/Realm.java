package dev.ledgerhook.quickbooks.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One simulated QuickBooks company: entities, credentials, limits, faults and counters. Guarded by itself. */
final class Realm {

    final String id;
    final String clientId;
    final String clientSecret;
    String refreshToken;
    final Map<String, Long> accessTokens = new HashMap<>();
    int requestsPerMinute = 500;
    int maxConcurrent = 10;
    long accessTokenTtlSeconds = 3600;
    Faults faults = new Faults();

    final Map<String, Map<String, ObjectNode>> entities = new HashMap<>();
    final Map<String, SimulatedAnswer> requestIds = new HashMap<>();
    long nextId = 1;

    final Deque<Long> window = new ArrayDeque<>();
    final AtomicInteger inFlight = new AtomicInteger();

    long requests;
    long throttled;
    long faulted;
    long tokenRefreshes;
    final Map<String, long[]> counts = new LinkedHashMap<>(); // creates, updates, duplicateRequestIds

    Realm(String id, String clientId, String clientSecret, String refreshToken) {
        this.id = id;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
    }

    Map<String, ObjectNode> of(String entity) {
        return entities.computeIfAbsent(entity, e -> new LinkedHashMap<>());
    }

    long[] counts(String entity) {
        return counts.computeIfAbsent(entity, e -> new long[3]);
    }

    ObjectNode stats() {
        ObjectNode stats = SimulatedAnswer.JSON.createObjectNode().put("requests", requests).put("throttled", throttled)
                .put("faulted", faulted).put("tokenRefreshes", tokenRefreshes);
        ObjectNode byEntity = stats.putObject("entities");
        for (String entity : Entities.NAMES.values()) {
            long[] c = counts(entity);
            byEntity.putObject(entity).put("creates", c[0]).put("updates", c[1]).put("duplicateRequestIds", c[2])
                    .put("count", of(entity).size());
        }
        return stats;
    }
}
