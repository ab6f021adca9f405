package dev.ledgerhook.local;

import java.util.HashMap;
import java.util.Map;

import dev.ledgerhook.quickbooks.simulator.QuickBooksSimulator;
import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.TestStack;

/**
 * The functions' environment in the local default: what the template sets in AWS, pointed at the
 * emulators and the simulator, with the dummy credentials they accept and inline secrets allowed.
 */
public final class LocalEnvironment {

    /** The handler both functions declare in the template. */
    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    private LocalEnvironment() {
    }

    public static Map<String, String> of(TestStack emulators, StackResources resources, QuickBooksSimulator simulator) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", TestStack.REGION);
        env.put("AWS_DEFAULT_REGION", TestStack.REGION);
        env.put("AWS_ACCESS_KEY_ID", emulators.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", emulators.secretKey());
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", emulators.dynamoDbEndpoint().toString());
        env.put("QUARKUS_SQS_ENDPOINT_OVERRIDE", emulators.sqsEndpoint().toString());
        env.put("LEDGERHOOK_STACK_NAME", StackDefinition.DEFAULT_STACK_NAME);
        env.put("LEDGERHOOK_EVENTS_TABLE", resources.eventsTable());
        env.put("LEDGERHOOK_TENANTS_TABLE", resources.tenantsTable());
        env.put("LEDGERHOOK_EXTERNAL_IDS_TABLE", resources.externalIdsTable());
        env.put("LEDGERHOOK_ENTITY_MIRROR_TABLE", resources.entityMirrorTable());
        env.put("LEDGERHOOK_EVENTS_QUEUE_URL", resources.eventsQueueUrl());
        env.put("LEDGERHOOK_EVENTS_DLQ_URL", resources.eventsDlqUrl());
        env.put("LEDGERHOOK_SECRETS_ALLOW_INLINE", "true");
        env.put("LEDGERHOOK_QUICKBOOKS_BASE_URL", simulator.baseUrl());
        env.put("LEDGERHOOK_QUICKBOOKS_TOKEN_URL", simulator.baseUrl() + "/oauth2/v1/tokens/bearer");
        return env;
    }
}
