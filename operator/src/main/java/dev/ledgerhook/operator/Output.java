package dev.ledgerhook.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a command prints: for a person, aligned key-value blocks and tables; with {@code --json},
 * the same data as one JSON document on standard output. Progress goes to standard error, so it
 * never mixes with either.
 */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final boolean json;

    public Output(boolean json) {
        this.json = json;
    }

    public boolean json() {
        return json;
    }

    /** One record: a block of "key  value" lines, or a JSON object. */
    public void record(Map<String, ?> fields) {
        if (json) {
            print(fields);
            return;
        }
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((key, value) -> {
            if (value != null && !"".equals(value)) {
                System.out.println(String.format("%-" + width + "s  %s", key, value));
            }
        });
    }

    /** Rows under a header, or a JSON array of objects; {@code empty} is said when there are none. */
    public void table(List<String> columns, List<Map<String, ?>> rows, String empty) {
        if (json) {
            print(rows);
            return;
        }
        if (rows.isEmpty()) {
            System.out.println(empty);
            return;
        }
        List<Integer> widths = new ArrayList<>();
        for (String column : columns) {
            int width = column.length();
            for (Map<String, ?> row : rows) {
                width = Math.max(width, text(row.get(column)).length());
            }
            widths.add(width);
        }
        System.out.println(line(columns, columns.stream().map(c -> (Object) c.toUpperCase()).toList(), widths));
        for (Map<String, ?> row : rows) {
            System.out.println(line(columns, columns.stream().map(c -> (Object) row.get(c)).toList(), widths));
        }
    }

    /** A sentence for a person, or {@code {"message": ...}} plus the given fields. */
    public void message(String sentence, Map<String, ?> fields) {
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>(fields);
            document.put("message", sentence);
            print(document);
        } else {
            System.out.println(sentence);
        }
    }

    public void progress(String line) {
        System.err.println(line);
    }

    /** A failure as one line: what went wrong, without stack traces. */
    public static String describe(Throwable failure) {
        if (failure instanceof SdkException sdk) {
            return "AWS call failed: " + sdk.getMessage();
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    private static String line(List<String> columns, List<Object> values, List<Integer> widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            String cell = text(values.get(i));
            line.append(i == columns.size() - 1 ? cell : String.format("%-" + widths.get(i) + "s  ", cell));
        }
        return line.toString().stripTrailing();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static void print(Object document) {
        try {
            System.out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
