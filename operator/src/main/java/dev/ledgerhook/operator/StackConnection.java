package dev.ledgerhook.operator;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import dev.ledgerhook.connections.QuickBooksConnections;
import dev.ledgerhook.ledger.EventProgress;
import dev.ledgerhook.secrets.SecretResolver;
import dev.ledgerhook.secrets.SecretsConfig;
import dev.ledgerhook.stack.NamedStack;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.tenants.TenantStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the operator works: the stack's clients and the core stores over them. Against AWS it uses
 * the default credential chain and region; with {@code --local} the local default's emulators,
 * whose ports can be moved with {@code LEDGERHOOK_LOCAL_DYNAMODB_PORT} / {@code LEDGERHOOK_LOCAL_SQS_PORT}.
 */
public final class StackConnection {

    public static final String LOCAL_WEBHOOK_BASE_URL = "http://127.0.0.1:8080/webhooks";

    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final StackResources resources;
    private final boolean local;
    private final String stackName;
    private final Optional<Region> region;
    private final String baseUrl;

    private StackConnection(DynamoDbClient dynamoDb, SqsClient sqs, String stackName, boolean local,
                            Optional<Region> region, String baseUrl) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.resources = new StackResources(new NamedStack(stackName), sqs);
        this.local = local;
        this.stackName = stackName;
        this.region = region;
        this.baseUrl = baseUrl;
    }

    public static StackConnection local(String stackName, String baseUrl) {
        AwsCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        URI dynamoDbEndpoint = URI.create("http://127.0.0.1:" + setting("LEDGERHOOK_LOCAL_DYNAMODB_PORT", "8000"));
        URI sqsEndpoint = URI.create("http://127.0.0.1:" + setting("LEDGERHOOK_LOCAL_SQS_PORT", "9324"));
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamoDbEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        return new StackConnection(dynamoDb, sqs, stackName, true, Optional.of(Region.US_EAST_1),
                baseUrl == null ? LOCAL_WEBHOOK_BASE_URL : baseUrl);
    }

    public static StackConnection aws(String stackName, String regionName, String baseUrl) {
        Optional<Region> region = Optional.ofNullable(regionName).map(Region::of);
        var dynamoDb = DynamoDbClient.builder().credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        var sqs = SqsClient.builder().credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        region.ifPresent(dynamoDb::region);
        region.ifPresent(sqs::region);
        return new StackConnection(dynamoDb.build(), sqs.build(), stackName, false, region, baseUrl);
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public StackResources resources() {
        return resources;
    }

    public TenantStore tenants() {
        return new TenantStore(dynamoDb, resources);
    }

    public EventProgress events() {
        return new EventProgress(dynamoDb, resources);
    }

    public QuickBooksConnections quickBooks() {
        return new QuickBooksConnections(dynamoDb, resources);
    }

    /** Inline secrets only locally; in AWS, Secrets Manager and SSM through the default chain. */
    public SecretResolver secrets() {
        return new SecretResolver(new SecretsConfig() {
            @Override
            public boolean allowInline() {
                return local;
            }

            @Override
            public Duration cacheTtl() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Optional<String> secretsManagerEndpoint() {
                return Optional.empty();
            }

            @Override
            public Optional<String> ssmEndpoint() {
                return Optional.empty();
            }
        });
    }

    /** {@code {base}/{tenant}/{source}}: the URL to paste into the provider. */
    public String webhookUrl(String tenant, String source) {
        return webhookBaseUrl() + "/" + tenant + "/" + source;
    }

    /**
     * The base URL: {@code --base-url}, else {@code LEDGERHOOK_WEBHOOK_BASE_URL} (the stack's
     * {@code WebhookBaseUrl} output), else the local default's.
     */
    private String webhookBaseUrl() {
        String base = baseUrl != null ? baseUrl : System.getenv("LEDGERHOOK_WEBHOOK_BASE_URL");
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException("give the webhook base URL with --base-url or LEDGERHOOK_WEBHOOK_BASE_URL "
                    + "(the stack's WebhookBaseUrl output: aws cloudformation describe-stacks --stack-name " + stackName
                    + " --query \"Stacks[0].Outputs[?OutputKey=='WebhookBaseUrl'].OutputValue\" --output text)");
        }
        return base.replaceAll("/+$", "");
    }

    /** An environment variable, or the system property of the same name (tests), or the fallback. */
    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
