package dev.ledgerhook.quickbooks.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The subset of QuickBooks' query language the adapter and tests use:
 * {@code SELECT * FROM Entity [WHERE field = 'value' [AND ...]] [STARTPOSITION n] [MAXRESULTS n]}.
 * A reference field ({@code CustomerRef}) compares its {@code value}.
 */
final class Query {

    private static final Pattern SHAPE = Pattern.compile(
            "(?is)\\s*SELECT\\s+\\*\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.*?))?"
                    + "(?:\\s+STARTPOSITION\\s+(\\d+))?(?:\\s+MAXRESULTS\\s+(\\d+))?\\s*");
    private static final Pattern CONDITION = Pattern.compile("(?s)\\s*([\\w.]+)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*");

    final String entity;
    final Map<String, String> equals = new LinkedHashMap<>();
    final int start;
    final int max;

    private Query(String entity, int start, int max) {
        this.entity = entity;
        this.start = start;
        this.max = max;
    }

    static Query parse(String text) {
        Matcher shape = SHAPE.matcher(text == null ? "" : text);
        if (!shape.matches() || !Entities.NAMES.containsValue(shape.group(1))) {
            throw parseError(text);
        }
        Query query = new Query(shape.group(1), shape.group(3) == null ? 1 : Integer.parseInt(shape.group(3)),
                shape.group(4) == null ? 100 : Math.min(1000, Integer.parseInt(shape.group(4))));
        if (shape.group(2) != null) {
            for (String part : shape.group(2).split("(?i)\\s+AND\\s+")) {
                Matcher condition = CONDITION.matcher(part);
                if (!condition.matches()) {
                    throw parseError(text);
                }
                query.equals.put(condition.group(1), unescape(condition.group(2)));
            }
        }
        return query;
    }

    ObjectNode run(Realm realm) {
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode candidate : realm.of(entity).values()) {
            if (equals.entrySet().stream().allMatch(e -> value(candidate, e.getKey()).equals(e.getValue()))) {
                matches.add(candidate);
            }
        }
        List<ObjectNode> page = matches.subList(Math.min(matches.size(), start - 1), Math.min(matches.size(), start - 1 + max));
        ObjectNode response = SimulatedAnswer.JSON.createObjectNode();
        ObjectNode result = response.putObject("QueryResponse");
        if (!page.isEmpty()) {
            page.forEach(result.putArray(entity)::add);
            result.put("startPosition", start).put("maxResults", page.size());
        }
        response.put("time", java.time.Instant.now().toString());
        return response;
    }

    private static String value(JsonNode entity, String field) {
        JsonNode node = entity;
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        return node.isObject() ? node.path("value").asText() : node.asText();
    }

    /** A backslash escapes the next character, a quote or a backslash itself: {@code O\\'Brien}, {@code a\\\\b}. */
    private static String unescape(String quoted) {
        return quoted.replaceAll("\\\\(.)", "$1");
    }

    private static SimulatedAnswer parseError(String text) {
        return SimulatedAnswer.validation("4000", "Error parsing query", "QueryParserError: " + text, "");
    }
}
