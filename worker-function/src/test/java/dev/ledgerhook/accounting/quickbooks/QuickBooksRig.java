package dev.ledgerhook.accounting.quickbooks;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import dev.ledgerhook.accounting.ExternalIdMap;
import dev.ledgerhook.outcomes.OutcomeLog;
import dev.ledgerhook.quickbooks.simulator.QuickBooksSimulator;
import dev.ledgerhook.secrets.SecretResolver;
import dev.ledgerhook.secrets.SecretsConfig;
import dev.ledgerhook.stack.StackConfig;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.TestStack;
import dev.ledgerhook.teststack.TestStacks;
import dev.ledgerhook.tracing.Tracer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import dev.ledgerhook.connections.QuickBooksConnections;

/**
 * The adapter wired by hand, as CDI wires it, over the shared test stack (moto for DynamoDB) and a
 * QuickBooks simulator on a free port. Each {@link #newTenant()} is a new tenant connected to a new
 * company, so tests never see each other's entities.
 */
final class QuickBooksRig implements AutoCloseable {

    static final String CLIENT_ID = "rig-client";
    static final String CLIENT_SECRET = "rig-client-secret";

    final QuickBooksSimulator simulator = QuickBooksSimulator.start(0);
    final DynamoDbClient dynamoDb;
    final StackResources resources;
    final QuickBooksConnections connections;
    final ExternalIdMap map;
    final SecretResolver secrets;

    QuickBooksRig() {
        TestStack stack = TestStacks.shared();
        dynamoDb = stack.dynamoDb();
        resources = new StackResources(stackConfig(), stack.sqs());
        connections = new QuickBooksConnections(dynamoDb, resources);
        map = new ExternalIdMap(dynamoDb, resources);
        secrets = new SecretResolver(secretsConfig());
    }

    /** A tenant connected to a fresh simulated company; returns {tenant, realmId}. */
    String[] newTenant() {
        String tenant = "qb-" + UUID.randomUUID().toString().substring(0, 8);
        String realm = Long.toString(9_130_350_000_000_000L + (long) (Math.random() * 999_999_999L));
        String refresh = "refresh-" + UUID.randomUUID();
        simulator.addRealm(realm, CLIENT_ID, CLIENT_SECRET, refresh);
        connections.connect(tenant, realm, CLIENT_ID, "inline:" + CLIENT_SECRET, refresh);
        return new String[] {tenant, realm};
    }

    /** One "container": its own token cache, limiter and HTTP client, sharing DynamoDB and the simulator. */
    QuickBooksAdapter adapter() {
        return adapter(config(simulator.baseUrl()));
    }

    QuickBooksAdapter adapter(QuickBooksConfig config) {
        return adapter(config, Tracer.off());
    }

    QuickBooksAdapter adapter(QuickBooksConfig config, Tracer tracer) {
        QuickBooksHttp[] http = new QuickBooksHttp[1];
        AccessTokens tokens = new AccessTokens(connections, secrets, config, () -> http[0]);
        http[0] = new QuickBooksHttp(config, new RealmLimiter(config), tokens, new OutcomeLog(), tracer);
        return new QuickBooksAdapter(http[0], connections, map, config);
    }

    AccessTokens tokens() {
        QuickBooksConfig config = config(simulator.baseUrl());
        QuickBooksHttp[] http = new QuickBooksHttp[1];
        AccessTokens tokens = new AccessTokens(connections, secrets, config, () -> http[0]);
        http[0] = new QuickBooksHttp(config, new RealmLimiter(config), tokens, new OutcomeLog(), Tracer.off());
        return tokens;
    }

    @Override
    public void close() {
        simulator.close();
        dynamoDb.close();
    }

    static QuickBooksConfig config(String baseUrl) {
        return new Config(baseUrl, 2);
    }

    /** The defaults, pointed at the simulator, with a chosen number of in-process 5xx retries. */
    record Config(String base, int serverErrors) implements QuickBooksConfig {
            public String baseUrl() { return base; }
            public String tokenUrl() { return base + "/oauth2/v1/tokens/bearer"; }
            public int minorVersion() { return 75; }
            public int requestsPerMinute() { return 450; }
            public int maxConcurrent() { return 10; }
            public int syncTokenRetries() { return 3; }
            public int throttleRetries() { return 2; }
            public int serverErrorRetries() { return serverErrors; }
            public Duration maxRetryAfter() { return Duration.ofSeconds(10); }
            public Duration requestTimeout() { return Duration.ofSeconds(5); }
            public Duration refreshBefore() { return Duration.ofMinutes(5); }
    }

    private static StackConfig stackConfig() {
        return new StackConfig() {
            public String stackName() { return "ledgerhook"; }
            public Optional<String> eventsTable() { return Optional.empty(); }
            public Optional<String> tenantsTable() { return Optional.empty(); }
            public Optional<String> externalIdsTable() { return Optional.empty(); }
            public Optional<String> entityMirrorTable() { return Optional.empty(); }
            public Optional<String> eventsQueueUrl() { return Optional.empty(); }
            public Optional<String> eventsDlqUrl() { return Optional.empty(); }
        };
    }

    private static SecretsConfig secretsConfig() {
        return new SecretsConfig() {
            public boolean allowInline() { return true; }
            public Duration cacheTtl() { return Duration.ofMinutes(5); }
            public Optional<String> secretsManagerEndpoint() { return Optional.empty(); }
            public Optional<String> ssmEndpoint() { return Optional.empty(); }
        };
    }
}
