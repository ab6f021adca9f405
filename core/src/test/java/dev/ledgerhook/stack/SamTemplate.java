package dev.ledgerhook.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * {@code sam-template.yaml} read as a tree, and compared with {@link StackDefinition}. Short-form
 * intrinsic functions ({@code !Sub "x"}, {@code !GetAtt A.Arn}, {@code !Ref A}) read as their
 * plain argument: enough to compare names and references.
 */
final class SamTemplate {

    private final JsonNode resources;

    SamTemplate(String yaml) throws IOException {
        this.resources = new ObjectMapper(new YAMLFactory()).readTree(yaml).path("Resources");
    }

    static SamTemplate load() throws IOException {
        return new SamTemplate(Files.readString(repositoryRoot().resolve("sam-template.yaml")));
    }

    static JsonNode loadTree() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(repositoryRoot().resolve("sam-template.yaml")));
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("build.repository.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path path = start.toAbsolutePath(); path != null; path = path.getParent()) {
            if (Files.exists(path.resolve("sam-template.yaml"))) {
                return path;
            }
        }
        throw new IllegalStateException("no sam-template.yaml above " + start);
    }

    JsonNode resource(String logicalId) {
        return resources.path(logicalId);
    }

    /** Every disagreement between the template and the code's definition; empty when they agree. */
    List<String> disagreementsWith(List<TableSpec> tables, List<QueueSpec> queues) {
        List<String> problems = new ArrayList<>();
        tables.forEach(table -> compareTable(table, problems));
        queues.forEach(queue -> compareQueue(queue, problems));
        ofType("AWS::DynamoDB::Table").forEach((id, node) -> {
            if (tables.stream().noneMatch(t -> sameName(node, t.baseName(), "TableName"))) {
                problems.add("table " + id + " is in the template but not in StackDefinition");
            }
        });
        ofType("AWS::SQS::Queue").forEach((id, node) -> {
            if (queues.stream().noneMatch(q -> sameName(node, q.baseName(), "QueueName"))) {
                problems.add("queue " + id + " is in the template but not in StackDefinition");
            }
        });
        return problems;
    }

    private void compareTable(TableSpec table, List<String> problems) {
        Optional<Map.Entry<String, JsonNode>> found = findByName("AWS::DynamoDB::Table", "TableName", table.baseName());
        if (found.isEmpty()) {
            problems.add("no table named ${AWS::StackName}-" + table.baseName());
            return;
        }
        String id = found.get().getKey();
        JsonNode properties = found.get().getValue().path("Properties");
        expect(problems, id + " hash key", table.partitionKey(), keyOfType(properties, "HASH"));
        expect(problems, id + " range key", table.sortKey().orElse(null), keyOfType(properties, "RANGE"));
        expect(problems, id + " billing mode", "PAY_PER_REQUEST", properties.path("BillingMode").asText(null));
        JsonNode ttl = properties.path("TimeToLiveSpecification");
        expect(problems, id + " TTL attribute", table.ttlAttribute().orElse(null),
                ttl.path("Enabled").asBoolean(false) ? ttl.path("AttributeName").asText(null) : null);
        for (JsonNode key : properties.path("KeySchema")) {
            String name = key.path("AttributeName").asText();
            boolean declaredAsString = false;
            for (JsonNode definition : properties.path("AttributeDefinitions")) {
                declaredAsString |= name.equals(definition.path("AttributeName").asText())
                        && "S".equals(definition.path("AttributeType").asText());
            }
            if (!declaredAsString) {
                problems.add(id + " key " + name + " is not declared as a string attribute");
            }
        }
    }

    private void compareQueue(QueueSpec queue, List<String> problems) {
        Optional<Map.Entry<String, JsonNode>> found = findByName("AWS::SQS::Queue", "QueueName", queue.baseName());
        if (found.isEmpty()) {
            problems.add("no queue named ${AWS::StackName}-" + queue.baseName());
            return;
        }
        String id = found.get().getKey();
        JsonNode properties = found.get().getValue().path("Properties");
        expect(problems, id + " VisibilityTimeout", Integer.toString(queue.visibilityTimeoutSeconds()),
                properties.path("VisibilityTimeout").asText(null));
        expect(problems, id + " MessageRetentionPeriod", Integer.toString(queue.messageRetentionSeconds()),
                properties.path("MessageRetentionPeriod").asText(null));
        expect(problems, id + " MaximumMessageSize", Integer.toString(queue.maximumMessageSizeBytes()),
                properties.path("MaximumMessageSize").asText(null));
        JsonNode redrive = properties.path("RedrivePolicy");
        if (queue.redrive().isEmpty()) {
            if (!redrive.isMissingNode()) {
                problems.add(id + " has a RedrivePolicy the code does not expect");
            }
            return;
        }
        QueueSpec.Redrive expected = queue.redrive().get();
        expect(problems, id + " maxReceiveCount", Integer.toString(expected.maxReceiveCount()),
                redrive.path("maxReceiveCount").asText(null));
        String target = redrive.path("deadLetterTargetArn").asText("");
        Optional<String> deadLetterId = findByName("AWS::SQS::Queue", "QueueName", expected.deadLetterQueueBaseName())
                .map(Map.Entry::getKey);
        expect(problems, id + " deadLetterTargetArn", deadLetterId.map(dlq -> dlq + ".Arn").orElse("(missing DLQ)"), target);
    }

    Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> matches = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (type.equals(entry.getValue().path("Type").asText())) {
                matches.put(entry.getKey(), entry.getValue());
            }
        }
        return matches;
    }

    private Optional<Map.Entry<String, JsonNode>> findByName(String type, String nameProperty, String baseName) {
        return ofType(type).entrySet().stream().filter(e -> sameName(e.getValue(), baseName, nameProperty)).findFirst();
    }

    private static boolean sameName(JsonNode resource, String baseName, String nameProperty) {
        return ("${AWS::StackName}-" + baseName).equals(resource.path("Properties").path(nameProperty).asText());
    }

    private static String keyOfType(JsonNode properties, String keyType) {
        for (JsonNode key : properties.path("KeySchema")) {
            if (keyType.equals(key.path("KeyType").asText())) {
                return key.path("AttributeName").asText();
            }
        }
        return null;
    }

    private static void expect(List<String> problems, String what, String expected, String actual) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            problems.add(what + ": code says " + expected + ", template says " + actual);
        }
    }
}
