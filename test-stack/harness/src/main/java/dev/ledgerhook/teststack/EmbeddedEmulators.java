package dev.ledgerhook.teststack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The open-source emulators, each in its own child process, started side by side: moto
 * (Apache-2.0, Python) serves DynamoDB, ElasticMQ (Apache-2.0, a JVM) serves SQS. No Docker, no AWS
 * account: what every build machine can run.
 */
public final class EmbeddedEmulators implements TestStack {

    /** Where, in a data directory, moto's journal of DynamoDB writes is kept. */
    public static final String DYNAMODB_JOURNAL = "dynamodb-journal.jsonl";

    private final EmulatorProcess dynamoDb;
    private final EmulatorProcess elasticMq;

    private EmbeddedEmulators(EmulatorProcess dynamoDb, EmulatorProcess elasticMq) {
        this.dynamoDb = dynamoDb;
        this.elasticMq = elasticMq;
    }

    /** Starts both emulators on free ports. */
    public static EmbeddedEmulators start() {
        return start(EmulatorProcess.freePort(), EmulatorProcess.freePort());
    }

    /** Starts both emulators on the given ports, in memory. */
    public static EmbeddedEmulators start(int dynamoDbPort, int sqsPort) {
        return start(dynamoDbPort, sqsPort, Optional.empty());
    }

    /**
     * Starts both emulators on the given ports, in parallel (each JVM takes a few seconds to boot),
     * in memory or, with a data directory, keeping tables, queues and messages there across runs.
     */
    public static EmbeddedEmulators start(int dynamoDbPort, int sqsPort, Optional<Path> dataDirectory) {
        Optional<Path> data = dataDirectory.map(EmbeddedEmulators::createDirectories);
        CompletableFuture<EmulatorProcess> dynamoDb = CompletableFuture.supplyAsync(() -> startMoto(dynamoDbPort, data));
        CompletableFuture<EmulatorProcess> elasticMq = CompletableFuture.supplyAsync(() -> startElasticMq(sqsPort, data));
        try {
            return new EmbeddedEmulators(dynamoDb.join(), elasticMq.join());
        } catch (RuntimeException failed) {
            dynamoDb.thenAccept(EmulatorProcess::close);
            elasticMq.thenAccept(EmulatorProcess::close);
            throw failed;
        }
    }

    /**
     * moto's server in the environment {@link MotoEnvironment} builds, through the launcher script.
     * With a data directory it journals DynamoDB's writes there and replays them at start (moto
     * keeps nothing on disk of its own); a long journal takes a while, hence the longer wait.
     */
    private static EmulatorProcess startMoto(int port, Optional<Path> data) {
        Path python = MotoEnvironment.configured().ensure();
        List<String> command = new ArrayList<>(List.of(python.toString(), "-u", MotoEnvironment.launcher().toString(),
                "--port", Integer.toString(port)));
        data.ifPresent(directory -> command.addAll(List.of("--journal", directory.resolve(DYNAMODB_JOURNAL).toString())));
        return EmulatorProcess.start("moto", command, port, Duration.ofMinutes(5));
    }

    /** ElasticMQ keeps queues in a file and messages in an H2 database when given a data directory. */
    private static EmulatorProcess startElasticMq(int port, Optional<Path> data) {
        Path config = EmulatorProcess.logDirectory().resolve("elasticmq-" + port + ".conf").toAbsolutePath();
        String text = """
                include classpath("application.conf")
                node-address { protocol = http, host = "127.0.0.1", port = %d, context-path = "" }
                rest-sqs { enabled = true, bind-port = %d, bind-hostname = "127.0.0.1", sqs-limits = strict }
                rest-stats { enabled = false }
                aws { region = %s, accountId = 000000000000 }
                """.formatted(port, port, REGION) + data.map(directory -> """
                queues-storage { enabled = true, path = "%s" }
                messages-storage { enabled = true, uri = "jdbc:h2:%s" }
                """.formatted(directory.resolve("elasticmq-queues.conf"), directory.resolve("elasticmq-messages")))
                .orElse("");
        try {
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return EmulatorProcess.startJvm("elasticmq", "elasticmq", List.of("-Dconfig.file=" + config),
                "org.elasticmq.server.Main", List.of(), port);
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + directory, e);
        }
    }

    @Override
    public URI dynamoDbEndpoint() {
        return URI.create("http://127.0.0.1:" + dynamoDb.port());
    }

    @Override
    public URI sqsEndpoint() {
        return URI.create("http://127.0.0.1:" + elasticMq.port());
    }

    @Override
    public String description() {
        return "embedded emulators: moto (DynamoDB) at " + dynamoDbEndpoint() + ", ElasticMQ at " + sqsEndpoint();
    }

    /** The DynamoDB emulator's process, for tests that kill it or read its log. */
    public EmulatorProcess dynamoDbProcess() {
        return dynamoDb;
    }

    @Override
    public void close() {
        dynamoDb.close();
        elasticMq.close();
    }
}
