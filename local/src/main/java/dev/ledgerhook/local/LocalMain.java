package dev.ledgerhook.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ledgerhook.accounting.quickbooks.QuickBooksConnections;
import dev.ledgerhook.local.esm.QueueEventSource;
import dev.ledgerhook.local.front.HttpApiFront;
import dev.ledgerhook.local.lambda.FunctionSpec;
import dev.ledgerhook.local.lambda.LocalFunction;
import dev.ledgerhook.operator.signing.DeliverySigner;
import dev.ledgerhook.operator.signing.SampleEvents;
import dev.ledgerhook.operator.signing.SignedRequest;
import dev.ledgerhook.providers.SourceType;
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
 * The local default: DynamoDB Local and ElasticMQ with the stack's tables and queues, the
 * QuickBooks simulator with its demo company, the tenant {@code demo}, both functions run from
 * their {@code function.zip} as Lambda runs them, the HTTP API front on 8080 and the SQS event
 * source mapping feeding the worker. Ctrl-C stops everything, in the reverse order.
 */
public final class LocalMain {

    static final String READY = "Ledgerhook is running locally";
    private static final Path WORK = Path.of("target", "local");

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    public static void main(String[] args) throws Exception {
        // the AWS SDK and Quarkus libraries on the classpath log through JBoss LogManager; say so before any logging
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        LocalOptions options;
        try {
            options = LocalOptions.parse(List.of(args));
        } catch (IllegalArgumentException bad) {
            System.err.println("run-local: " + bad.getMessage() + "\n" + LocalOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalMain local = new LocalMain();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            local.stop();
            stopped.countDown();
        }, "local-stop"));
        try {
            local.start(options);
        } catch (RuntimeException failed) {
            System.err.println("run-local: could not start: " + failed.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void start(LocalOptions options) throws Exception {
        Files.createDirectories(WORK);
        say("starting DynamoDB Local on " + options.dynamoDbPort() + " and ElasticMQ on " + options.sqsPort()
                + options.dataDirectory().map(dir -> ", state kept in " + dir).orElse(", state in memory"));
        EmbeddedEmulators emulators = EmbeddedEmulators.start(options.dynamoDbPort(), options.sqsPort(),
                options.dataDirectory().map(dir -> dir.resolve("aws")));
        started.push(emulators);
        DynamoDbClient dynamoDb = emulators.dynamoDb();
        SqsClient sqs = emulators.sqs();
        started.push(dynamoDb);
        started.push(sqs);
        new StackProvisioner(dynamoDb, sqs).provision(StackDefinition.DEFAULT_STACK_NAME);
        StackResources resources = new StackResources(new NamedStack(StackDefinition.DEFAULT_STACK_NAME), sqs);

        QuickBooksSimulator simulator = startSimulator(options);
        boolean seeded = DemoTenant.seed(new TenantStore(dynamoDb, resources), new QuickBooksConnections(dynamoDb, resources));

        ConsoleLog console = new ConsoleLog(options.quiet());
        Map<String, String> environment = LocalEnvironment.of(emulators, resources, simulator);
        LocalFunction worker = LocalFunction.start(new FunctionSpec("ledgerhook-worker", Path.of("worker-function", "target",
                "function.zip"), LocalEnvironment.HANDLER, 512, Duration.ofSeconds(60), environment,
                options.workerConcurrency()), WORK, console);
        started.push(worker);
        LocalFunction ingest = LocalFunction.start(new FunctionSpec("ledgerhook-ingest", Path.of("ingest-function", "target",
                "function.zip"), LocalEnvironment.HANDLER, 512, Duration.ofSeconds(10), environment,
                options.ingestContainers()), WORK, console);
        started.push(ingest);
        started.push(HttpApiFront.start("127.0.0.1", options.httpPort(), ingest));
        started.push(QueueEventSource.start(sqs, resources.eventsQueueUrl(), worker,
                new QueueEventSource.Settings(10, 1, options.workerConcurrency()), console));
        ingest.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));
        printReady(options, seeded);
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

    private void printReady(LocalOptions options, boolean seeded) {
        SampleEvents.Sample sample = SampleEvents.of(SourceType.QUICKBOOKS, java.time.Instant.now());
        String url = "http://127.0.0.1:" + options.httpPort() + "/webhooks/demo/quickbooks";
        SignedRequest example = new SignedRequest(url, DeliverySigner.headers(SourceType.QUICKBOOKS,
                DemoTenant.SECRETS.get(SourceType.QUICKBOOKS), "", "", sample.body(), java.time.Instant.now()), sample.body());
        System.out.println("""

                %s (state %s; tenant demo %s).
                  webhooks    http://127.0.0.1:%d/webhooks/demo/{stripe,shopify,quickbooks,xero,standard,finch}
                  QuickBooks  http://127.0.0.1:%d  (simulator, company %s; counters at /sim/stats)
                  DynamoDB    http://127.0.0.1:%d   SQS http://127.0.0.1:%d   logs target/local/logs/

                Send a signed QuickBooks change notification (copy and paste):
                %s

                Or a fresh signed delivery of any provider: ./ledgerhook --local sign stripe --send
                Then: ./ledgerhook --local events list demo    ./ledgerhook --local dlq list
                Ctrl-C stops everything.
                """.formatted(READY, options.dataDirectory().map(dir -> "kept in " + dir).orElse("in memory"),
                seeded ? "seeded" : "found in the kept state", options.httpPort(), options.simulatorPort(),
                QuickBooksSimulator.DEMO_REALM, options.dynamoDbPort(), options.sqsPort(), example.curl()));
    }

    private void stop() {
        say("stopping");
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("[local] while stopping: " + e);
            }
        }
    }

    private static void say(String line) {
        System.out.println("[local] " + line);
    }
}
