package dev.ledgerhook.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** What keeps a deployed stack safe to run and to delete: retained data, expiring logs, bounded ingest. */
class SamTemplateOperationsTest {

    private static final Set<String> STATEFUL = Set.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::Logs::LogGroup");

    @Test
    void everyTableQueueAndLogGroupOutlivesTheStack() throws IOException {
        List<String> unprotected = new ArrayList<>();
        SamTemplate.loadTree().path("Resources").fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            if (STATEFUL.contains(resource.path("Type").asText())
                    && !(resource.path("DeletionPolicy").asText().equals("Retain")
                            && resource.path("UpdateReplacePolicy").asText().equals("Retain"))) {
                unprotected.add(entry.getKey());
            }
        });
        assertEquals(List.of(), unprotected, "resources sam delete or a replacement would drop");
    }

    @Test
    void eachFunctionLogsJsonToItsOwnExpiringLogGroupAndOnlyThere() throws IOException {
        JsonNode template = SamTemplate.loadTree();
        JsonNode resources = template.path("Resources");
        assertEquals(30, template.path("Parameters").path("LogRetentionDays").path("Default").asInt());
        for (String[] function : List.of(new String[] {"IngestFunction", "IngestRole"}, new String[] {"WorkerFunction", "WorkerRole"})) {
            JsonNode logging = resources.path(function[0]).path("Properties").path("LoggingConfig");
            assertEquals("JSON", logging.path("LogFormat").asText(), function[0]);
            JsonNode group = resources.path(logging.path("LogGroup").asText());
            assertEquals("AWS::Logs::LogGroup", group.path("Type").asText(), function[0] + "'s log group");
            assertEquals("LogRetentionDays", group.path("Properties").path("RetentionInDays").asText(), function[0]);
            JsonNode role = resources.path(function[1]).path("Properties");
            assertTrue(role.path("ManagedPolicyArns").toString().indexOf("AWSLambdaBasicExecutionRole") < 0,
                    function[1] + " may write to any log group");
            JsonNode logStatement = role.path("Policies").path(0).path("PolicyDocument").path("Statement").path(0);
            assertEquals(logging.path("LogGroup").asText() + ".Arn", logStatement.path("Resource").asText(), function[1]);
        }
    }

    @Test
    void theIngestIsThrottledByParametersAndQueuesAreEncrypted() throws IOException {
        JsonNode resources = SamTemplate.loadTree().path("Resources");
        JsonNode routes = resources.path("WebhookStage").path("Properties").path("DefaultRouteSettings");
        assertEquals("ThrottlingRateLimit", routes.path("ThrottlingRateLimit").asText());
        assertEquals("ThrottlingBurstLimit", routes.path("ThrottlingBurstLimit").asText());
        assertTrue(resources.path("IngestFunction").path("Properties").path("ReservedConcurrentExecutions").toString()
                .contains("IngestReservedConcurrency"));
        for (String queue : List.of("EventsQueue", "EventsDeadLetterQueue")) {
            assertTrue(resources.path(queue).path("Properties").path("SqsManagedSseEnabled").asBoolean(), queue);
        }
    }
}
