package dev.ledgerhook.quickbooks.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulator's companies on disk, so a local default kept on disk finds in QuickBooks what its
 * external-id map remembers: entities, requestid answers, id counters, the rotated refresh token,
 * limits and counters. Fault settings are not kept. Written to a temporary file and moved into
 * place, so a crash mid-write leaves the previous snapshot.
 */
final class RealmSnapshots {

    private RealmSnapshots() {
    }

    static void save(Collection<Realm> realms, Path file) {
        ArrayNode all = SimulatedAnswer.JSON.createArrayNode();
        for (Realm realm : realms) {
            synchronized (realm) {
                all.add(toJson(realm));
            }
        }
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, all.toString());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the simulator's state to " + file, e);
        }
    }

    static Map<String, Realm> load(Path file) {
        Map<String, Realm> realms = new HashMap<>();
        try {
            for (JsonNode json : SimulatedAnswer.JSON.readTree(Files.readString(file))) {
                Realm realm = fromJson(json);
                realms.put(realm.id, realm);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the simulator's state from " + file, e);
        }
        return realms;
    }

    private static ObjectNode toJson(Realm realm) {
        ObjectNode json = SimulatedAnswer.JSON.createObjectNode()
                .put("id", realm.id).put("clientId", realm.clientId).put("clientSecret", realm.clientSecret)
                .put("refreshToken", realm.refreshToken).put("requestsPerMinute", realm.requestsPerMinute)
                .put("maxConcurrent", realm.maxConcurrent).put("accessTokenTtlSeconds", realm.accessTokenTtlSeconds)
                .put("nextId", realm.nextId).put("requests", realm.requests).put("throttled", realm.throttled)
                .put("faulted", realm.faulted).put("tokenRefreshes", realm.tokenRefreshes);
        ObjectNode tokens = json.putObject("accessTokens");
        realm.accessTokens.forEach(tokens::put);
        ObjectNode entities = json.putObject("entities");
        realm.entities.forEach((entity, byId) -> {
            ObjectNode ids = entities.putObject(entity);
            byId.forEach(ids::set);
        });
        ObjectNode requestIds = json.putObject("requestIds");
        realm.requestIds.forEach((id, answer) -> {
            ObjectNode saved = requestIds.putObject(id).put("status", answer.status).put("body", answer.body);
            ObjectNode headers = saved.putObject("headers");
            answer.headers.forEach(headers::put);
        });
        ObjectNode counts = json.putObject("counts");
        realm.counts.forEach((entity, values) -> counts.putArray(entity).add(values[0]).add(values[1]).add(values[2]));
        return json;
    }

    private static Realm fromJson(JsonNode json) {
        Realm realm = new Realm(json.path("id").asText(), json.path("clientId").asText(),
                json.path("clientSecret").asText(), json.path("refreshToken").asText());
        realm.requestsPerMinute = json.path("requestsPerMinute").asInt(500);
        realm.maxConcurrent = json.path("maxConcurrent").asInt(10);
        realm.accessTokenTtlSeconds = json.path("accessTokenTtlSeconds").asLong(3600);
        realm.nextId = json.path("nextId").asLong(1);
        realm.requests = json.path("requests").asLong();
        realm.throttled = json.path("throttled").asLong();
        realm.faulted = json.path("faulted").asLong();
        realm.tokenRefreshes = json.path("tokenRefreshes").asLong();
        fields(json.path("accessTokens")).forEachRemaining(e -> realm.accessTokens.put(e.getKey(), e.getValue().asLong()));
        fields(json.path("entities")).forEachRemaining(entity -> fields(entity.getValue())
                .forEachRemaining(e -> realm.of(entity.getKey()).put(e.getKey(), (ObjectNode) e.getValue())));
        fields(json.path("requestIds")).forEachRemaining(e -> {
            Map<String, String> headers = new HashMap<>();
            fields(e.getValue().path("headers")).forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            realm.requestIds.put(e.getKey(), new SimulatedAnswer(e.getValue().path("status").asInt(),
                    e.getValue().path("body").asText(), headers));
        });
        fields(json.path("counts")).forEachRemaining(e -> {
            long[] values = realm.counts(e.getKey());
            for (int i = 0; i < 3; i++) {
                values[i] = e.getValue().path(i).asLong();
            }
        });
        return realm;
    }

    private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node.fields();
    }
}
