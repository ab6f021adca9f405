package dev.ledgerhook.teststack;

import java.net.URI;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A running DynamoDB + SQS pair for tests and local runs: the embedded emulators or LocalStack.
 * Clients it hands out talk to it through the real AWS SDK with the url-connection client, as the
 * functions do.
 */
public interface TestStack extends AutoCloseable {

    String REGION = "us-east-1";

    URI dynamoDbEndpoint();

    URI sqsEndpoint();

    /** What runs underneath, for the one line a test run prints. */
    String description();

    default String accessKey() {
        return "test";
    }

    default String secretKey() {
        return "test";
    }

    default DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .endpointOverride(dynamoDbEndpoint())
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    default SqsClient sqs() {
        return SqsClient.builder()
                .endpointOverride(sqsEndpoint())
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    default StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey()));
    }

    /** Quarkus configuration that points both functions' AWS clients at this stack. */
    default Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.dynamodb.endpoint-override", dynamoDbEndpoint().toString(),
                "quarkus.dynamodb.aws.region", REGION,
                "quarkus.dynamodb.aws.credentials.type", "static",
                "quarkus.dynamodb.aws.credentials.static-provider.access-key-id", accessKey(),
                "quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", secretKey(),
                "quarkus.sqs.endpoint-override", sqsEndpoint().toString(),
                "quarkus.sqs.aws.region", REGION,
                "quarkus.sqs.aws.credentials.type", "static",
                "quarkus.sqs.aws.credentials.static-provider.access-key-id", accessKey(),
                "quarkus.sqs.aws.credentials.static-provider.secret-access-key", secretKey());
    }

    @Override
    void close();
}
