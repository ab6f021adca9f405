package dev.ledgerhook.worker.mappings;

import com.fasterxml.jackson.databind.JsonNode;

/** The version a mirrored entity carries: QuickBooks' own {@code MetaData.LastUpdatedTime}. */
public final class MirrorTimes {

    private MirrorTimes() {
    }

    public static long lastUpdated(JsonNode entity, long fallback) {
        long parsed = Payloads.instant(entity.path("MetaData").path("LastUpdatedTime").asText(""));
        return parsed > 0 ? parsed : fallback;
    }
}
