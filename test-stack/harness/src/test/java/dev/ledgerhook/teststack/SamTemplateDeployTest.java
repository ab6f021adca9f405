package dev.ledgerhook.teststack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * sam-template.yaml, after SAM's own transform, deployed into moto's CloudFormation (the
 * moto runtime's deploy_template.py), then read back through each service's client: what
 * {@code sam deploy} creates in an empty account, short of what moto cannot create (the functions'
 * versions, aliases, URL, permissions, event source mapping and the HTTP API; README lists them).
 */
class SamTemplateDeployTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** moto 5.2.5 answers GetRolePolicy, for a role CloudFormation made, with the Python repr of the document. */
    private static final ObjectMapper MOTO_POLICY = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    private static final Set<String> LEFT_OUT_TYPES = Set.of("AWS::CloudWatch::Alarm","AWS::Lambda::Version", "AWS::Lambda::Alias",
            "AWS::Lambda::Url", "AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping",
            "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::Stage");

    private static EmbeddedEmulators emulators;
    private static JsonNode defaults;
    private static JsonNode functionUrlTraced;

    @BeforeAll
    static void deployTwice() throws Exception {
        emulators = EmbeddedEmulators.start(EmulatorProcess.freePort(), EmulatorProcess.freePort());
        defaults = deploy("lh-defaults");
        functionUrlTraced = deploy("lh-url", "Frontend=FunctionUrl", "Tracing=Active", "LogRetentionDays=7",
                "IngestReservedConcurrency=20");
    }

    @AfterAll
    static void stop() {
        if (emulators != null) {
            emulators.close();
        }
    }

    @Test
    void everyResourceMotoSupportsIsCreatedAndOnlyTheListedTypesAreLeftOut() {
        for (JsonNode report : List.of(defaults, functionUrlTraced)) {
            assertEquals("CREATE_COMPLETE", report.path("status").asText(), report.path("failures").toString());
            List<String> notComplete = new ArrayList<>();
            report.path("resources").forEach(resource -> {
                if (!resource.path("status").asText().equals("CREATE_COMPLETE")) {
                    notComplete.add(resource.toString());
                }
            });
            assertEquals(List.of(), notComplete);
            Set<String> leftOut = texts(report.path("leftOut"), "type");
            assertTrue(LEFT_OUT_TYPES.containsAll(leftOut), "left out beyond the list: " + leftOut);
            assertEquals(report.path("templateResources").size(), report.path("resources").size(),
                    "every kept resource of the transformed template is in the stack");
        }
        Set<String> created = texts(defaults.path("resources"), "type");
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::IAM::Role", "AWS::Logs::LogGroup",
                "AWS::Lambda::Function", "AWS::CloudWatch::Dashboard")) {
            assertTrue(created.contains(type), type + " created (created: " + created + ")");
        }
        assertEquals(Set.of("infra/build"), Set.copyOf(texts(defaults.path("codeUris"))),
                "the functions' code comes from sam build's makefile target");
    }

    @Test
    void tablesHaveTheirKeysAndTheEventsTableExpiresClaims() {
        try (DynamoDbClient dynamoDb = emulators.dynamoDb()) {
            for (String table : List.of("events", "tenants", "external-ids", "entity-mirror")) {
                String name = "lh-defaults-" + table;
                assertEquals("pk", dynamoDb.describeTable(d -> d.tableName(name)).table().keySchema().get(0).attributeName());
            }
            // moto's CloudFormation creates tables without their TTL and point-in-time recovery
            // settings: both are read on what SAM's transform handed to CloudFormation
            JsonNode events = defaults.path("transformed").path("EventsTable").path("Properties");
            assertEquals("{\"AttributeName\":\"expiresAt\",\"Enabled\":true}", events.path("TimeToLiveSpecification").toString());
            for (String table : List.of("EventsTable", "TenantsTable", "ExternalIdsTable", "EntityMirrorTable")) {
                assertTrue(defaults.path("transformed").path(table).path("Properties").path("PointInTimeRecoverySpecification")
                        .path("PointInTimeRecoveryEnabled").asBoolean(), table);
            }
        }
    }

    @Test
    void theEventsQueueRedrivesToItsDeadLetterQueueAfterFiveReceives() throws IOException {
        try (SqsClient sqs = client(SqsClient.builder())) {
            String queue = sqs.getQueueUrl(q -> q.queueName("lh-defaults-events")).queueUrl();
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(a -> a.queueUrl(queue)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            JsonNode redrive = JSON.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
            assertEquals(defaults.path("outputs").path("EventsDeadLetterQueueArn").asText(), redrive.path("deadLetterTargetArn").asText());
            assertEquals(5, redrive.path("maxReceiveCount").asInt());
            assertEquals("360", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
            assertEquals("true", attributes.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED));
        }
    }

    @Test
    void logGroupsExpireAfterTheRetentionParameterAndTheAccessLogOnlyComesWithTheHttpApi() {
        try (CloudWatchLogsClient logs = client(CloudWatchLogsClient.builder())) {
            Map<String, Integer> retention = logs.describeLogGroups(d -> d.logGroupNamePrefix("/aws/")).logGroups().stream()
                    .collect(Collectors.toMap(LogGroup::logGroupName, LogGroup::retentionInDays));
            assertEquals(Map.of("/aws/lambda/lh-defaults-ingest", 30, "/aws/lambda/lh-defaults-worker", 30,
                    "/aws/http-api/lh-defaults-webhooks", 30, "/aws/lambda/lh-url-ingest", 7, "/aws/lambda/lh-url-worker", 7),
                    retention);
        }
    }

    @Test
    void alarmsAreLeftOutBecauseMotoWouldOnlyPretendToCreateThem() {
        Set<String> alarms = StreamSupport.stream(defaults.path("leftOut").spliterator(), false)
                .filter(resource -> resource.path("type").asText().equals("AWS::CloudWatch::Alarm"))
                .map(resource -> resource.path("logicalId").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("DeadLetterQueueDepthAlarm", "IngestServerErrorsAlarm", "OldestEventAgeAlarm", "WorkerErrorsAlarm"), alarms);
        assertEquals(0, defaults.path("alarms").size(), "moto created alarms after all: put them back in the test");
    }

    @Test
    void rolesWriteOnlyToTheirOwnLogGroupAndFunctionsAreTracedOnlyWhenAsked() throws IOException {
        try (IamClient iam = IamClient.builder().endpointOverride(emulators.dynamoDbEndpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(emulators.credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            for (JsonNode report : List.of(defaults, functionUrlTraced)) {
                boolean traced = report == functionUrlTraced;
                String stack = traced ? "lh-url" : "lh-defaults";
                for (String function : List.of("Ingest", "Worker")) {
                    String role = physicalId(report, function + "Role");
                    String policyName = iam.listRolePolicies(r -> r.roleName(role)).policyNames().get(0);
                    String document = URLDecoder.decode(iam.getRolePolicy(p -> p.roleName(role).policyName(policyName))
                            .policyDocument(), StandardCharsets.UTF_8);
                    JsonNode logs = MOTO_POLICY.readTree(document).path("Statement").get(0);
                    assertEquals("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]", logs.path("Action").toString());
                    // GetAtt Arn of a log group ends in ":*" in AWS, not in moto: either covers its streams
                    String ownGroup = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/" + stack + "-" + function.toLowerCase();
                    assertEquals(ownGroup, logs.path("Resource").asText().replaceFirst(":\\*$", ""));
                    // moto ignores a role's ManagedPolicyArns: the X-Ray policy is read as CloudFormation got it
                    JsonNode transformed = report.path("transformed");
                    assertTrue(transformed.path(function + "Role").path("Properties").path("ManagedPolicyArns").toString()
                            .contains("AWSXrayWriteOnlyAccess"), function + "Role");
                    assertEquals(traced ? "{\"Mode\":{\"Ref\":\"Tracing\"}}" : "",
                            transformed.path(function + "Function").path("Properties").path("TracingConfig").toString(),
                            function + "Function traced only when Tracing=Active");
                }
            }
        }
    }

    @Test
    void outputsNameWhatOperatorsNeed() {
        JsonNode outputs = defaults.path("outputs");
        assertEquals("arn:aws:sqs:us-east-1:123456789012:lh-defaults-events", outputs.path("EventsQueueArn").asText());
        assertTrue(outputs.path("DashboardUrl").asText().endsWith("#dashboards:name=lh-defaults-webhooks"));
        assertEquals(List.of("WebhookBaseUrl"), texts(defaults.path("droppedOutputs")).stream().toList(),
                "only the URL of the left-out HTTP API is missing");
        assertFalse(outputs.has("WebhookBaseUrl"));
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode deploy(String stack, String... parameters) throws Exception {
        Path work = Files.createTempDirectory("sam-deploy");
        Path script = work.resolve("deploy_template.py");
        Files.write(script, MotoEnvironment.resource("deploy_template.py"));
        List<String> command = new ArrayList<>(List.of(MotoEnvironment.configured().ensure().toString(), script.toString(),
                "--template", repositoryRoot().resolve("sam-template.yaml").toString(),
                "--endpoint", emulators.dynamoDbEndpoint().toString(), "--stack", stack));
        for (String parameter : parameters) {
            command.add("--parameter");
            command.add(parameter);
        }
        Path output = work.resolve("report.json");
        Path errors = work.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("deploy_template.py failed for " + stack + ": " + Files.readString(errors));
        }
        return JSON.readTree(output.toFile());
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C extends SdkClient> C client(B builder) {
        URI moto = emulators.dynamoDbEndpoint();
        return builder.endpointOverride(moto).region(Region.of(TestStack.REGION)).credentialsProvider(emulators.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static String physicalId(JsonNode report, String logicalId) {
        return StreamSupport.stream(report.path("resources").spliterator(), false)
                .filter(resource -> resource.path("logicalId").asText().equals(logicalId))
                .map(resource -> resource.path("physicalId").asText()).findFirst()
                .orElseThrow(() -> new AssertionError(logicalId + " not in the stack"));
    }

    private static Set<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(node -> node.path(field).asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Path repositoryRoot() {
        for (Path path = Path.of("").toAbsolutePath(); path != null; path = path.getParent()) {
            if (Files.exists(path.resolve("sam-template.yaml"))) {
                return path;
            }
        }
        throw new IllegalStateException("no sam-template.yaml above " + Path.of("").toAbsolutePath());
    }
}
