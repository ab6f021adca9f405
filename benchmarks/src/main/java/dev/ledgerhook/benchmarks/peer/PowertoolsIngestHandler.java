package dev.ledgerhook.benchmarks.peer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.ledgerhook.providers.MalformedDeliveryException;
import dev.ledgerhook.providers.ProviderEvent;
import dev.ledgerhook.providers.SignatureException;
import dev.ledgerhook.providers.StripeProvider;
import dev.ledgerhook.providers.WebhookRequest;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.idempotency.Idempotency;
import software.amazon.lambda.powertools.idempotency.IdempotencyConfig;
import software.amazon.lambda.powertools.idempotency.IdempotencyKey;
import software.amazon.lambda.powertools.idempotency.Idempotent;
import software.amazon.lambda.powertools.idempotency.persistence.DynamoDBPersistenceStore;

/**
 * The peer: the same ingest job (verify a Stripe delivery, drop duplicates, enqueue the event) as a
 * user would write it with Powertools for AWS Lambda (Java) idempotency 1.15.0: a plain
 * {@code RequestHandler} behind API Gateway, the signature verified first (so a forged request
 * cannot claim a key), then an {@code @Idempotent} method (woven at compile time by AspectJ) that
 * sends to SQS, with Powertools' DynamoDB persistence store and its defaults. Benchmark code only.
 */
public class PowertoolsIngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final StripeProvider stripe = new StripeProvider();
    private final String secret = System.getenv("BENCH_STRIPE_SECRET");
    private final String queueUrl = System.getenv("BENCH_QUEUE_URL");
    private final SqsClient sqs = SqsClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(System.getenv("BENCH_SQS_ENDPOINT")))
            .region(Region.of(System.getenv("AWS_REGION")))
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .build();

    public PowertoolsIngestHandler() {
        DynamoDbClient dynamoDb = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(System.getenv("BENCH_DYNAMODB_ENDPOINT")))
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .build();
        Idempotency.config()
                .withPersistenceStore(DynamoDBPersistenceStore.builder()
                        .withTableName(System.getenv("BENCH_IDEMPOTENCY_TABLE"))
                        .withDynamoDbClient(dynamoDb)
                        .build())
                .withConfig(IdempotencyConfig.builder().withExpiration(Duration.ofDays(30)).build())
                .configure();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Idempotency.registerLambdaContext(context);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        event.getHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
        WebhookRequest request = new WebhookRequest(headers, event.getBody().getBytes(StandardCharsets.UTF_8));
        List<ProviderEvent> events;
        try {
            stripe.verify(request, List.of(secret), Instant.now());
            events = stripe.parse(request);
        } catch (SignatureException e) {
            return answer(401, "{\"error\":\"invalid_signature\"}");
        } catch (MalformedDeliveryException e) {
            return answer(400, "{\"error\":\"malformed_payload\"}");
        }
        String tenant = event.getPathParameters().get("tenant");
        String source = event.getPathParameters().get("source");
        for (ProviderEvent providerEvent : events) {
            enqueue(tenant + "#" + source + "#" + providerEvent.eventKey(), providerEvent.payload());
        }
        return answer(200, "{\"received\":" + events.size() + "}");
    }

    /** Runs once per key; a repeat gets the stored answer (the message id) back from DynamoDB. */
    @Idempotent
    public String enqueue(@IdempotencyKey String key, String payload) {
        return sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(payload)).messageId();
    }

    private static APIGatewayV2HTTPResponse answer(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).build();
    }
}
