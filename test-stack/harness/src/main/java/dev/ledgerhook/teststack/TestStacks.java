package dev.ledgerhook.teststack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.testcontainers.DockerClientFactory;

import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;

/**
 * The one test stack of a test JVM: started on first use, provisioned with the stack's tables and
 * queues, and stopped when the JVM exits (a shutdown hook; {@link ParentWatch} covers a killed JVM).
 *
 * <p>Which stack: {@code -Dledgerhook.test-stack=} (or {@code LEDGERHOOK_TEST_STACK})
 * {@code embedded}, {@code localstack} or {@code auto} (the default: LocalStack when a Docker
 * engine answers, the embedded emulators otherwise). The choice is printed once.
 */
public final class TestStacks {

    private static TestStack shared;

    private TestStacks() {
    }

    public static synchronized TestStack shared() {
        if (shared == null) {
            TestStack stack = start(mode());
            try (var dynamoDb = stack.dynamoDb(); var sqs = stack.sqs()) {
                new StackProvisioner(dynamoDb, sqs).provision(StackDefinition.DEFAULT_STACK_NAME);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "test-stack-stop"));
            shared = stack;
        }
        return shared;
    }

    static String mode() {
        String configured = System.getProperty("ledgerhook.test-stack", System.getenv("LEDGERHOOK_TEST_STACK"));
        return configured == null || configured.isBlank() ? "auto" : configured.trim().toLowerCase(Locale.ROOT);
    }

    private static TestStack start(String mode) {
        TestStack stack = switch (mode) {
            case "embedded" -> EmbeddedEmulators.start();
            case "localstack" -> {
                if (!dockerAnswers()) {
                    throw new IllegalStateException("ledgerhook.test-stack=localstack, but no Docker engine answers");
                }
                yield LocalStackEmulator.start();
            }
            case "auto" -> {
                if (dockerAnswers()) {
                    yield LocalStackEmulator.start();
                }
                System.out.println("[ledgerhook] no Docker engine: LocalStack tests are skipped, using the embedded emulators"
                        + " (set -Dledgerhook.test-stack=localstack to require LocalStack)");
                yield EmbeddedEmulators.start();
            }
            default -> throw new IllegalArgumentException(
                    "ledgerhook.test-stack must be auto, embedded or localstack, not '" + mode + "'");
        };
        System.out.println("[ledgerhook] test stack: " + stack.description());
        return stack;
    }

    /** Asks Testcontainers only when a Docker endpoint is plausible, so machines without one stay quiet. */
    private static boolean dockerAnswers() {
        boolean plausible = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!plausible) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError unavailable) {
            return false;
        }
    }
}
