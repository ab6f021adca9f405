package dev.ledgerhook.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.ledgerhook.connections.QuickBooksConnections;
import dev.ledgerhook.local.esm.QueueEventSource;
import dev.ledgerhook.local.front.HttpApiFront;
import dev.ledgerhook.local.lambda.FunctionSpec;
import dev.ledgerhook.local.lambda.LocalFunction;
import dev.ledgerhook.quickbooks.simulator.QuickBooksSimulator;
import dev.ledgerhook.stack.NamedStack;
import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.EmbeddedEmulators;
import dev.ledgerhook.tenants.TenantStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local default, started: moto (DynamoDB) and ElasticMQ (SQS) with the stack's tables and queues, the
 * QuickBooks simulator with its demo company, the tenant {@code demo}, both functions run from
 * their {@code function.zip} as Lambda runs them, the HTTP API front and the SQS event source
 * mapping feeding the worker. {@link #close()} stops everything, in the reverse order. Tests and
 * load drivers start it in-process on their own ports and kill its containers at will.
 */
public final class LocalDefault implements AutoCloseable {

    private static final Path WORK = Path.of("target", "local");
    /** Where the function packages are: the repository root (set by the build for tests), else here. */
    private static final Path ROOT = Path.of(System.getProperty("build.repository.root", "."));

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedEmulators emulators;
    private StackResources resources;
    private QuickBooksSimulator simulator;
    private LocalFunction ingest;
    private LocalFunction worker;
    private HttpApiFront front;
    private boolean seeded;

    private LocalDefault() {
    }

    /** Starts everything; on failure, stops what had started and rethrows. */
    public static LocalDefault start(LocalOptions options) {
        LocalDefault local = new LocalDefault();
        try {
            local.startAll(options);
            return local;
        } catch (Exception | Error failed) {
            local.close();
            throw failed instanceof RuntimeException runtime ? runtime : new IllegalStateException(failed.getMessage(), failed);
        }
    }

    private void startAll(LocalOptions options) throws Exception {
        Files.createDirectories(WORK);
        options.console().accept("[local] starting moto (DynamoDB) on " + options.dynamoDbPort() + " and ElasticMQ on " + options.sqsPort()
                + options.dataDirectory().map(dir -> ", state kept in " + dir).orElse(", state in memory"));
        emulators = EmbeddedEmulators.start(options.dynamoDbPort(), options.sqsPort(),
                options.dataDirectory().map(dir -> dir.resolve("aws")));
        started.push(emulators);
        DynamoDbClient dynamoDb = emulators.dynamoDb();
        SqsClient sqs = emulators.sqs();
        started.push(dynamoDb);
        started.push(sqs);
        new StackProvisioner(dynamoDb, sqs).provision(StackDefinition.DEFAULT_STACK_NAME);
        resources = new StackResources(new NamedStack(StackDefinition.DEFAULT_STACK_NAME), sqs);

        simulator = startSimulator(options);
        seeded = DemoTenant.seed(new TenantStore(dynamoDb, resources), new QuickBooksConnections(dynamoDb, resources));

        Consumer<String> console = options.console();
        Map<String, String> environment = new HashMap<>(LocalEnvironment.of(emulators, resources, simulator));
        environment.putAll(options.functionExtras().environment());
        List<Path> extraClasspath = options.functionExtras().classpath();
        worker = LocalFunction.start(new FunctionSpec("ledgerhook-worker", packageOf("worker-function"), LocalEnvironment.HANDLER, 512, Duration.ofSeconds(60), environment,
                options.workerConcurrency(), extraClasspath), WORK, console);
        started.push(worker);
        ingest = LocalFunction.start(new FunctionSpec("ledgerhook-ingest", packageOf("ingest-function"), LocalEnvironment.HANDLER, 512, Duration.ofSeconds(10), environment,
                options.ingestContainers(), extraClasspath), WORK, console);
        started.push(ingest);
        front = HttpApiFront.start("127.0.0.1", options.httpPort(), ingest);
        started.push(front);
        started.push(QueueEventSource.start(sqs, resources.eventsQueueUrl(), worker,
                new QueueEventSource.Settings(10, 1, options.workerConcurrency()), console));
        ingest.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));
    }

    private QuickBooksSimulator startSimulator(LocalOptions options) {
        QuickBooksSimulator simulator = QuickBooksSimulator.start(options.simulatorPort());
        Optional<Path> state = options.dataDirectory().map(dir -> dir.resolve("quickbooks-simulator.json"));
        state.filter(Files::isRegularFile).ifPresent(simulator::loadFrom);
        if (!simulator.hasRealm(QuickBooksSimulator.DEMO_REALM)) {
            simulator.seedDemo();
        }
        started.push(simulator);
        state.ifPresent(file -> {
            ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor();
            saver.scheduleWithFixedDelay(() -> simulator.saveTo(file), 2, 2, TimeUnit.SECONDS);
            started.push(() -> {
                saver.shutdownNow();
                simulator.saveTo(file);
            });
        });
        return simulator;
    }

    private static Path packageOf(String module) {
        return ROOT.resolve(module).resolve("target").resolve("function.zip");
    }

    public LocalFunction ingest() {
        return ingest;
    }

    public LocalFunction worker() {
        return worker;
    }

    public QuickBooksSimulator simulator() {
        return simulator;
    }

    public StackResources resources() {
        return resources;
    }

    /** The emulators' endpoints and clients for them. */
    public EmbeddedEmulators emulators() {
        return emulators;
    }

    /** {@code http://127.0.0.1:{port}/webhooks}. */
    public String webhookBaseUrl() {
        return "http://127.0.0.1:" + front.port() + "/webhooks";
    }

    /** Whether this start wrote the demo tenant (false when a kept state had it). */
    public boolean seededDemoTenant() {
        return seeded;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("[local] while stopping: " + e);
            }
        }
    }

}
