package dev.ledgerhook.teststack;

import java.net.URI;
import java.util.Optional;

import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack through Testcontainers, for users with a Docker engine. The image is pinned to the
 * last tag that starts without an auth token; {@code LOCALSTACK_AUTH_TOKEN} is passed through when
 * set, for newer images ({@code -Dledgerhook.localstack.image=...}).
 */
public final class LocalStackEmulator implements TestStack {

    public static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";

    private final LocalStackContainer container;

    private LocalStackEmulator(LocalStackContainer container) {
        this.container = container;
    }

    public static LocalStackEmulator start() {
        String image = System.getProperty("ledgerhook.localstack.image", DEFAULT_IMAGE);
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("dynamodb", "sqs");
        Optional.ofNullable(System.getenv("LOCALSTACK_AUTH_TOKEN"))
                .filter(token -> !token.isBlank())
                .ifPresent(token -> container.withEnv("LOCALSTACK_AUTH_TOKEN", token));
        container.start();
        return new LocalStackEmulator(container);
    }

    @Override
    public URI dynamoDbEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI sqsEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public String accessKey() {
        return container.getAccessKey();
    }

    @Override
    public String secretKey() {
        return container.getSecretKey();
    }

    @Override
    public String description() {
        return "LocalStack " + container.getDockerImageName() + " at " + container.getEndpoint();
    }

    @Override
    public void close() {
        container.stop();
    }
}
