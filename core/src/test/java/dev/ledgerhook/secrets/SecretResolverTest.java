package dev.ledgerhook.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Secret references through the real AWS SDK clients, against a loopback endpoint that answers
 * the Secrets Manager and SSM JSON protocols (LocalStack runs the real thing where Docker exists).
 */
class SecretResolverTest {

    private static HttpServer aws;
    private static final List<String> TARGETS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startEndpoint() throws IOException {
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        aws.createContext("/", SecretResolverTest::answer);
        aws.start();
    }

    @AfterAll
    static void stopEndpoint() {
        aws.stop(0);
    }

    @Test
    void secretsManagerAndSsmReferencesResolveAndAreCached() throws Exception {
        SecretResolver resolver = new SecretResolver(config(false));
        TARGETS.clear();

        assertEquals("whsec_from_secrets_manager", resolver.resolve("secretsmanager:ledgerhook/acme/stripe"));
        assertEquals("token-from-ssm", resolver.resolve("ssm:/ledgerhook/acme/quickbooks"));
        assertEquals(List.of("whsec_from_secrets_manager", "token-from-ssm"),
                resolver.resolveAll(List.of("secretsmanager:ledgerhook/acme/stripe", "ssm:/ledgerhook/acme/quickbooks")));

        assertEquals(List.of("secretsmanager.GetSecretValue", "AmazonSSM.GetParameter"), TARGETS,
                "one call per reference, then the cache");
    }

    @Test
    void inlineSecretsWorkOnlyWhenAllowed() throws Exception {
        assertEquals("s3cret", new SecretResolver(config(true)).resolve("inline:s3cret"));
        SecretUnavailableException refused = assertThrows(SecretUnavailableException.class,
                () -> new SecretResolver(config(false)).resolve("inline:s3cret"));
        assertFalse(refused.getMessage().contains("s3cret"), "an error never shows the secret");
    }

    @Test
    void badReferencesAndUnreadableSecretsFailWithTheReferenceNamed() {
        SecretResolver resolver = new SecretResolver(config(false));
        assertThrows(SecretUnavailableException.class, () -> resolver.resolve("vault:x"));
        assertThrows(SecretUnavailableException.class, () -> resolver.resolve("secretsmanager:"));
        SecretUnavailableException missing = assertThrows(SecretUnavailableException.class,
                () -> resolver.resolve("secretsmanager:ledgerhook/missing"));
        assertTrue(missing.getMessage().contains("ledgerhook/missing"));
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        TARGETS.add(target);
        int status = 200;
        String body;
        if ("secretsmanager.GetSecretValue".equals(target) && request.contains("ledgerhook/acme/stripe")) {
            body = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:ledgerhook/acme/stripe-AbCdEf\","
                    + "\"Name\":\"ledgerhook/acme/stripe\",\"SecretString\":\"whsec_from_secrets_manager\"}";
        } else if ("AmazonSSM.GetParameter".equals(target)) {
            body = "{\"Parameter\":{\"Name\":\"/ledgerhook/acme/quickbooks\",\"Type\":\"SecureString\","
                    + "\"Value\":\"token-from-ssm\",\"Version\":1}}";
        } else {
            status = 400;
            body = "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static SecretsConfig config(boolean allowInline) {
        String endpoint = "http://127.0.0.1:" + aws.getAddress().getPort();
        return new SecretsConfig() {
            @Override
            public boolean allowInline() {
                return allowInline;
            }

            @Override
            public Duration cacheTtl() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Optional<String> secretsManagerEndpoint() {
                return Optional.of(endpoint);
            }

            @Override
            public Optional<String> ssmEndpoint() {
                return Optional.of(endpoint);
            }
        };
    }
}
