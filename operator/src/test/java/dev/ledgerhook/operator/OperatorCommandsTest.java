package dev.ledgerhook.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.providers.WebhookProviders;
import dev.ledgerhook.providers.WebhookRequest;
import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;
import dev.ledgerhook.teststack.EmbeddedEmulators;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The operator's commands against moto (DynamoDB) and ElasticMQ, as {@code --local} reaches them:
 * what they print, what they write, and that bad input changes nothing.
 */
class OperatorCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedEmulators emulators;
    private static DynamoDbClient dynamoDb;

    /** What one run printed, and its exit code. */
    private record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void startEmulators() {
        emulators = EmbeddedEmulators.start();
        dynamoDb = emulators.dynamoDb();
        new StackProvisioner(dynamoDb, emulators.sqs()).provision(StackDefinition.DEFAULT_STACK_NAME);
        System.setProperty("LEDGERHOOK_LOCAL_DYNAMODB_PORT", Integer.toString(emulators.dynamoDbEndpoint().getPort()));
        System.setProperty("LEDGERHOOK_LOCAL_SQS_PORT", Integer.toString(emulators.sqsEndpoint().getPort()));
    }

    @AfterAll
    static void stopEmulators() {
        dynamoDb.close();
        emulators.close();
    }

    @Test
    void tenantsAndSourcesAreAddedListedAndDisabled() throws Exception {
        ok("tenant", "add", "acme");
        Run added = ok("--json", "source", "add", "acme", "payments", "--type", "stripe", "--secret", "inline:whsec_one");
        assertEquals("http://127.0.0.1:8080/webhooks/acme/payments", added.json().path("url").asText());

        ok("tenant", "disable", "acme");
        JsonNode listed = find(run("--json", "tenant", "list").json(), "acme");
        assertFalse(listed.path("enabled").asBoolean());
        assertEquals("payments", listed.path("sources").asText());
        assertTrue(run("tenant", "list").out().lines().anyMatch(line -> line.matches("acme\\s+false\\s+payments")),
                "a person's table");
    }

    @Test
    void badInputIsRefusedWithAReasonAndWritesNothing() throws Exception {
        ok("tenant", "add", "beta");
        long items = tenantItems();

        Run again = run("tenant", "add", "beta");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("exists already"), again.err());
        Run badType = run("source", "add", "beta", "shop", "--type", "paypal", "--secret", "inline:x");
        assertEquals(2, badType.exitCode());
        assertTrue(badType.err().contains("unknown type paypal"), badType.err());
        Run bareSecret = run("source", "add", "beta", "shop", "--type", "shopify", "--secret", "plain-secret");
        assertEquals(2, bareSecret.exitCode());
        assertTrue(bareSecret.err().contains("by reference"), bareSecret.err());
        assertEquals(2, run("source", "add", "nobody", "shop", "--type", "shopify", "--secret", "inline:x").exitCode());
        assertEquals(2, run("source", "add", "beta", "Bad/Name", "--type", "shopify", "--secret", "inline:x").exitCode());
        assertEquals(2, run("event", "show", "beta", "shop", "evt_missing").exitCode());
        assertEquals(items, tenantItems(), "nothing written by refused commands");
    }

    @Test
    void aSecretRotatesInTwoSteps() throws Exception {
        ok("tenant", "add", "gamma");
        ok("source", "add", "gamma", "stripe", "--type", "stripe", "--secret", "inline:whsec_old");
        ok("source", "rotate-secret", "gamma", "stripe", "--secret", "inline:whsec_new");
        assertEquals(List.of("inline:whsec_old", "inline:whsec_new"), secrets("gamma", "stripe"));
        assertEquals(2, run("source", "rotate-secret", "gamma", "stripe", "--secret", "inline:x", "--finish").exitCode());
        ok("source", "rotate-secret", "gamma", "stripe", "--finish");
        assertEquals(List.of("inline:whsec_new"), secrets("gamma", "stripe"));
    }

    @ParameterizedTest
    @EnumSource(SourceType.class)
    void signBuildsADeliveryTheProductionVerifierAccepts(SourceType type) throws Exception {
        String secret = switch (type) {
            case STANDARD -> "whsec_bG9jYWxkZW1vX3N0YW5kYXJkX3NlY3JldF8zMmJ5dGVz";
            case FINCH -> "bG9jYWxkZW1vX2ZpbmNoX3NlY3JldF8zMmJ5dGVzISE=";
            default -> "local_secret_" + type.id();
        };
        String tenant = "signing-" + type.id();
        ok("tenant", "add", tenant);
        ok("source", "add", tenant, type.id(), "--type", type.id(), "--secret", "inline:" + secret);

        JsonNode signed = ok("--json", "sign", type.id(), "--tenant", tenant).json();
        assertEquals("http://127.0.0.1:8080/webhooks/" + tenant + "/" + type.id(), signed.path("url").asText());
        Map<String, List<String>> headers = new java.util.HashMap<>();
        signed.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), List.of(h.getValue().asText())));
        WebhookRequest request = new WebhookRequest(headers, signed.path("body").asText().getBytes(StandardCharsets.UTF_8));
        var provider = new WebhookProviders().forType(type);
        provider.verify(request, List.of(secret), Instant.now());
        assertEquals(1, provider.parse(request).size(), "one sample event");
    }

    private static JsonNode find(JsonNode rows, String tenant) {
        for (JsonNode row : rows) {
            if (row.path("tenant").asText().equals(tenant)) {
                return row;
            }
        }
        throw new AssertionError("no " + tenant + " in " + rows);
    }

    private static long tenantItems() {
        return dynamoDb.scan(scan -> scan.tableName(StackDefinition.TENANTS_TABLE.nameFor(StackDefinition.DEFAULT_STACK_NAME)))
                .count();
    }

    private static List<String> secrets(String tenant, String source) throws Exception {
        JsonNode item = JSON.readTree(dynamoDb.getItem(get -> get
                        .tableName(StackDefinition.TENANTS_TABLE.nameFor(StackDefinition.DEFAULT_STACK_NAME))
                        .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(tenant),
                                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SOURCE#" + source))))
                .item().get("secrets").l().stream().map(v -> "\"" + v.s() + "\"").toList().toString());
        return JSON.convertValue(item, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    private static Run ok(String... args) {
        Run run = run(args);
        assertEquals(0, run.exitCode(), String.join(" ", args) + ": " + run.err() + run.out());
        return run;
    }

    /** Runs the command line with {@code --local}, capturing what it prints. */
    private static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            var commandLine = LedgerhookCommand.commandLine();
            commandLine.setErr(new java.io.PrintWriter(System.err, true));
            String[] withLocal = new String[args.length + 1];
            withLocal[0] = "--local";
            System.arraycopy(args, 0, withLocal, 1, args.length);
            int exit = commandLine.execute(withLocal);
            return new Run(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
