package dev.ledgerhook.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ledgerhook.connections.QuickBooksConnections;
import dev.ledgerhook.benchmarks.counting.AwsCallCounter;
import dev.ledgerhook.ledger.EventId;
import dev.ledgerhook.ledger.LedgerConditions;
import dev.ledgerhook.local.DemoTenant;
import dev.ledgerhook.local.LocalEnvironment;
import dev.ledgerhook.local.esm.QueueEventSource;
import dev.ledgerhook.local.front.HttpApiFront;
import dev.ledgerhook.local.lambda.FunctionSpec;
import dev.ledgerhook.local.lambda.Invocation;
import dev.ledgerhook.local.lambda.LocalFunction;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.quickbooks.simulator.QuickBooksSimulator;
import dev.ledgerhook.queue.EnvelopeCodec;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.stack.NamedStack;
import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;
import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.EmbeddedEmulators;
import dev.ledgerhook.teststack.EmulatorProcess;
import dev.ledgerhook.tenants.TenantStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@code ./benchmarks/run}: everything measured side by side in one run against the same emulators,
 * written to {@code docs/benchmarks.md}. Figures are printed, never asserted.
 */
public final class BenchmarkMain {

    private static final String TENANT = DemoTenant.ID;
    private static final String SOURCE = "stripe";
    private static final String PEER_TABLE = "bench-powertools-idempotency";
    private static final String FLOOR_QUEUE = "bench-floor";
    private static final String PEER_QUEUE = "bench-powertools-events";
    private static final String PEER_HANDLER = "dev.ledgerhook.benchmarks.peer.PowertoolsIngestHandler::handleRequest";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path work;
    private final boolean quick;
    private final Report report = new Report();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, LongAdder> benchCalls = AwsCallCounter.newCounts();
    private final Map<String, LongAdder> esmCalls = AwsCallCounter.newCounts();

    /** The CPU group of the DynamoDB emulator, which the report checks for saturation of its one core. */
    static final String MOTO_GROUP = "moto (DynamoDB)";

    private EmbeddedEmulators emulators;
    private StackResources resources;
    private QuickBooksSimulator simulator;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private SqsClient esmSqs;
    private String floorQueueUrl;
    private String peerQueueUrl;
    private Deliveries deliveries;
    private FunctionPackages packages;
    private Map<String, String> environment;
    private final List<AutoCloseable> running = new ArrayList<>();

    private BenchmarkMain(Path root, boolean quick) {
        this.root = root;
        this.work = root.resolve("benchmarks").resolve("target").resolve("run");
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path root = Path.of(System.getProperty("build.repository.root", ".")).toAbsolutePath().normalize();
        BenchmarkMain main = new BenchmarkMain(root, quick);
        int status = 0;
        try {
            main.run();
        } catch (Exception | Error failed) {
            failed.printStackTrace();
            status = 1;
        } finally {
            main.stopAll();
        }
        System.exit(status);
    }

    private int n(int full) {
        return quick ? Math.max(5, full / 10) : full;
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(work);
        report.header(quick, uptime());
        setUp();

        // Both ingest implementations run as packaged under the local Lambda runtime, 2 containers each.
        FunctionOutput ingestOut = new FunctionOutput();
        FunctionOutput peerOut = new FunctionOutput();
        Path ingestZip = packages.counting(functionZip("ingest-function"), "ingest");
        Path workerZip = packages.counting(functionZip("worker-function"), "worker");
        LocalFunction ingest = start(new FunctionSpec("bench-ingest", ingestZip, LocalEnvironment.HANDLER, 512,
                Duration.ofSeconds(10), environment, 2), ingestOut);
        HttpApiFront front = HttpApiFront.start("127.0.0.1", EmulatorProcess.freePort(), ingest);
        running.add(front);
        String webhook = "http://127.0.0.1:" + front.port() + "/webhooks/" + TENANT + "/" + SOURCE;
        LocalFunction peer = start(new FunctionSpec("bench-powertools", packages.peer(moduleJar(), moduleLib()),
                PEER_HANDLER, 512, Duration.ofSeconds(10), peerEnvironment(), 2), peerOut);
        ingest.awaitReady(Duration.ofSeconds(120));
        peer.awaitReady(Duration.ofSeconds(120));

        Operations ops = new Operations(ingest, peer, webhook);
        log("warming up");
        for (int i = 0; i < n(150); i++) {
            ops.floor(null);
            ops.oursHandler(null);
            ops.oursHttp(null);
            ops.oursDuplicate(null);
            ops.peerUnique(null);
            ops.peerDuplicate(null);
            ops.barePut(null);
            ops.failedPut(null);
        }

        // 1 and 2: latency, interleaved in rounds so that a busy neighbour hits every series alike.
        report.uptime("latency rounds", uptime());
        Map<String, Samples> latency = new LinkedHashMap<>();
        for (String name : List.of("floor", "floorPut", "floorSend", "floor3", "oursHandler", "oursHttp", "barePut",
                "failedPut", "oursDuplicate", "peerUnique", "peerDuplicate")) {
            latency.put(name, new Samples());
        }
        int rounds = quick ? 2 : 10;
        for (int round = 0; round < rounds; round++) {
            log("latency round " + (round + 1) + "/" + rounds);
            for (int i = 0; i < 50; i++) {
                ops.floor(latency);
                ops.floor3(latency.get("floor3"));
                ops.oursHandler(latency.get("oursHandler"));
                ops.oursHttp(latency.get("oursHttp"));
                ops.barePut(latency.get("barePut"));
                ops.failedPut(latency.get("failedPut"));
                ops.oursDuplicate(latency.get("oursDuplicate"));
                ops.peerUnique(latency.get("peerUnique"));
                ops.peerDuplicate(latency.get("peerDuplicate"));
            }
        }
        report.latency(latency);

        // AWS requests per delivery, unique and duplicate, ours and the peer's (the counter in each container).
        log("counting requests per delivery");
        Map<String, Map<String, Double>> perDelivery = new LinkedHashMap<>();
        perDelivery.put("ours, unique", perCall(ingestOut, n(200), () -> ops.oursHandler(null)));
        perDelivery.put("ours, duplicate", perCall(ingestOut, n(200), () -> ops.oursDuplicate(null)));
        perDelivery.put("Powertools, unique", perCall(peerOut, n(200), () -> ops.peerUnique(null)));
        perDelivery.put("Powertools, duplicate", perCall(peerOut, n(200), () -> ops.peerDuplicate(null)));
        report.requestsPerDelivery(perDelivery);

        // 3: throughput against the peer, closed loop, 4 clients on 2 containers each.
        report.uptime("throughput", uptime());
        Map<String, Double> throughput = new LinkedHashMap<>();
        Map<String, Double> cpuPerDelivery = new LinkedHashMap<>();
        Map<String, Profiler.Profile> profiles = new LinkedHashMap<>();
        Duration window = Duration.ofSeconds(quick ? 3 : 15);
        measured("oursUnique", ingest, true, window, () -> ops.oursHandler(null), throughput, cpuPerDelivery, profiles);
        measured("peerUnique", peer, true, window, () -> ops.peerUnique(null), throughput, cpuPerDelivery, profiles);
        measured("oursDuplicate", ingest, true, window, () -> ops.oursDuplicate(null), throughput, cpuPerDelivery, profiles);
        measured("peerDuplicate", peer, false, window, () -> ops.peerDuplicate(null), throughput, cpuPerDelivery, profiles);
        report.cpu(cpuPerDelivery, profiles);
        report.throughput(throughput, window);
        peer.close();

        // 4 and 5: end to end, with the worker and the event source mapping.
        sqs.purgeQueue(purge -> purge.queueUrl(resources.eventsQueueUrl()));
        Thread.sleep(1000);
        raiseSimulatorLimits();
        List<Sustained> sustained = new ArrayList<>();
        Map<String, Map<String, Double>> endToEnd = null;
        for (int concurrency : quick ? List.of(2) : List.of(2, 4)) {
            FunctionOutput workerOut = new FunctionOutput();
            LocalFunction worker = start(new FunctionSpec("bench-worker-" + concurrency, workerZip, LocalEnvironment.HANDLER, 512,
                    Duration.ofSeconds(60), environment, concurrency), workerOut);
            worker.awaitReady(Duration.ofSeconds(120));
            QueueEventSource esm = QueueEventSource.start(esmSqs, resources.eventsQueueUrl(), worker,
                    new QueueEventSource.Settings(10, 1, concurrency), line -> log(line));
            if (endToEnd == null) {
                report.uptime("end to end (request counts)", uptime());
                endToEnd = countEndToEnd(ops, ingestOut, workerOut);
                report.endToEnd(endToEnd);
            }
            report.uptime("sustained, worker concurrency " + concurrency, uptime());
            sustained.add(sustain(ops, workerOut, ingest, worker, 10, concurrency, Duration.ofSeconds(quick ? 5 : 30)));
            esm.close();
            worker.close();
        }
        report.sustained(sustained);
        report.costs(endToEnd);
        front.close();
        ingest.close();

        // 6: start-up of each function as packaged, then the priming hooks.
        report.uptime("start-up", uptime());
        int starts = quick ? 3 : 10;
        report.startup(startups("ingest", functionZip("ingest-function"), starts),
                startups("worker", functionZip("worker-function"), starts), starts);
        report.note(failures.isEmpty() ? "Every delivery of the run was answered 200."
                : "Deliveries that failed (left out of the figures, never retried): " + AwsCallCounter.snapshot(failures));
        report.findings();
        report.footer(Duration.ofNanos(System.nanoTime() - started), uptime());
        Path out = root.resolve("docs").resolve("benchmarks.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.text());
        log("wrote " + out);
    }

    // ---- set-up -------------------------------------------------------------------------------

    private void setUp() throws IOException {
        log("starting moto (DynamoDB) and ElasticMQ on free ports");
        emulators = EmbeddedEmulators.start(EmulatorProcess.freePort(), EmulatorProcess.freePort());
        running.add(emulators);
        dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(emulators.dynamoDbEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .overrideConfiguration(config -> config.addExecutionInterceptor(new AwsCallCounter(benchCalls)))
                .build();
        sqs = sqsClient(benchCalls);
        esmSqs = sqsClient(esmCalls);
        new StackProvisioner(dynamoDb, sqs).provision(StackDefinition.DEFAULT_STACK_NAME);
        resources = new StackResources(new NamedStack(StackDefinition.DEFAULT_STACK_NAME), sqs);
        floorQueueUrl = sqs.createQueue(create -> create.queueName(FLOOR_QUEUE)).queueUrl();
        peerQueueUrl = sqs.createQueue(create -> create.queueName(PEER_QUEUE)).queueUrl();
        dynamoDb.createTable(create -> create.tableName(PEER_TABLE)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        simulator = QuickBooksSimulator.start(EmulatorProcess.freePort());
        simulator.seedDemo();
        running.add(simulator);
        DemoTenant.seed(new TenantStore(dynamoDb, resources), new QuickBooksConnections(dynamoDb, resources));
        deliveries = new Deliveries(DemoTenant.SECRETS.get(SourceType.STRIPE));
        packages = new FunctionPackages(work);
        environment = LocalEnvironment.of(emulators, resources, simulator);
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(emulators.accessKey(), emulators.secretKey()));
    }

    private SqsClient sqsClient(Map<String, LongAdder> counts) {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(emulators.sqsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .overrideConfiguration(config -> config.addExecutionInterceptor(new AwsCallCounter(counts)))
                .build();
    }

    private Map<String, String> peerEnvironment() {
        Map<String, String> env = new HashMap<>(environment);
        env.put("BENCH_STRIPE_SECRET", DemoTenant.SECRETS.get(SourceType.STRIPE));
        env.put("BENCH_QUEUE_URL", peerQueueUrl);
        env.put("BENCH_SQS_ENDPOINT", emulators.sqsEndpoint().toString());
        env.put("BENCH_DYNAMODB_ENDPOINT", emulators.dynamoDbEndpoint().toString());
        env.put("BENCH_IDEMPOTENCY_TABLE", PEER_TABLE);
        return env;
    }

    private void raiseSimulatorLimits() throws IOException, InterruptedException {
        // The real QuickBooks allows 500 requests a minute per company; lifted here so that the
        // sustained figure measures Ledgerhook, not the simulated company's quota.
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/sim/realms/"
                        + QuickBooksSimulator.DEMO_REALM + "/limits"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"requestsPerMinute\":1000000,\"maxConcurrent\":100}")).build(),
                HttpResponse.BodyHandlers.ofString());
        log("simulator limits: " + answer.statusCode() + " " + answer.body());
    }

    private LocalFunction start(FunctionSpec spec, FunctionOutput output) {
        LocalFunction function = LocalFunction.start(spec, work, output);
        running.add(function);
        return function;
    }

    private Path functionZip(String module) {
        return root.resolve(module).resolve("target").resolve("function.zip");
    }

    private Path moduleJar() throws IOException {
        try (var files = Files.list(root.resolve("benchmarks").resolve("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("ledgerhook-benchmarks-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("build the benchmarks module first"));
        }
    }

    private Path moduleLib() {
        return root.resolve("benchmarks").resolve("target").resolve("lib");
    }

    // ---- the measured operations --------------------------------------------------------------

    /** Each operation measures itself into {@code samples} when given, and fails loudly on a wrong answer. */
    private final class Operations {
        private final LocalFunction ingest;
        private final LocalFunction peer;
        private final String webhook;
        private final List<Deliveries.Delivery> oursAccepted = new CopyOnWriteArrayList<>();
        private final List<Deliveries.Delivery> peerAccepted = new CopyOnWriteArrayList<>();
        private final AtomicLong floorKeys = new AtomicLong();

        Operations(LocalFunction ingest, LocalFunction peer, String webhook) {
            this.ingest = ingest;
            this.peer = peer;
            this.webhook = webhook;
        }

        void oursHandler(Samples samples) {
            Deliveries.Delivery delivery = deliveries.next();
            invoke(ingest, delivery, samples);
            oursAccepted.add(delivery);
        }

        void oursDuplicate(Samples samples) {
            invoke(ingest, deliveries.again(pick(oursAccepted)), samples);
        }

        void peerUnique(Samples samples) {
            Deliveries.Delivery delivery = deliveries.next();
            invoke(peer, delivery, samples);
            peerAccepted.add(delivery);
        }

        void peerDuplicate(Samples samples) {
            invoke(peer, deliveries.again(pick(peerAccepted)), samples);
        }

        /** A delivery answered 200 earlier (so its event is ENQUEUED), as a provider's retry is. */
        private Deliveries.Delivery pick(List<Deliveries.Delivery> accepted) {
            if (accepted.isEmpty()) {
                throw new IllegalStateException("no accepted delivery to repeat yet");
            }
            return accepted.get(ThreadLocalRandom.current().nextInt(accepted.size()));
        }

        /** Returns whether the function answered 200; a failure is counted and reported, not retried. */
        private void invoke(LocalFunction function, Deliveries.Delivery delivery, Samples samples) {
            byte[] event = Deliveries.apiGatewayEvent(TENANT, SOURCE, delivery);
            long start = System.nanoTime();
            Invocation.Result result = function.invoke(event).join();
            long elapsed = System.nanoTime() - start;
            if (!(result instanceof Invocation.Response response) || Deliveries.statusOf(response.body()) != 200) {
                failed(function.name() + " answered " + describe(result));
                return;
            }
            if (samples != null) {
                samples.add(elapsed);
            }
        }

        void oursHttp(Samples samples) {
            Deliveries.Delivery delivery = deliveries.next();
            HttpRequest request = HttpRequest.newBuilder(URI.create(webhook))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", delivery.signature())
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body())).build();
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("POST " + webhook + " failed", e);
            }
            long elapsed = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                failed("POST answered " + response.statusCode() + ": " + response.body());
                return;
            }
            oursAccepted.add(delivery);
            if (samples != null) {
                samples.add(elapsed);
            }
        }

        /** The floor: what one new event needs at least, a conditional PutItem and a SendMessage. */
        void floor(Map<String, Samples> latency) {
            Floor item = new Floor("bench#floor#" + floorKeys.incrementAndGet() + "-" + UUID.randomUUID());
            long start = System.nanoTime();
            item.claim();
            long claimed = System.nanoTime();
            item.send();
            long end = System.nanoTime();
            if (latency != null) {
                latency.get("floor").add(end - start);
                latency.get("floorPut").add(claimed - start);
                latency.get("floorSend").add(end - claimed);
            }
        }

        /** The floor of our design: the claim, the send and the ENQUEUED mark (README "Duplicates and the claim"). */
        void floor3(Samples samples) {
            Floor item = new Floor("bench#floor3#" + floorKeys.incrementAndGet() + "-" + UUID.randomUUID());
            long start = System.nanoTime();
            item.claim();
            item.send();
            item.markEnqueued();
            samples.add(System.nanoTime() - start);
        }

        /** A plain unconditional PutItem of the same item. */
        void barePut(Samples samples) {
            Floor item = new Floor("bench#bare#" + floorKeys.incrementAndGet() + "-" + UUID.randomUUID());
            long start = System.nanoTime();
            dynamoDb.putItem(put -> put.tableName(resources.eventsTable()).item(item.item));
            if (samples != null) {
                samples.add(System.nanoTime() - start);
            }
        }

        /** The duplicate's one call on its own: the claim's conditional PutItem failing with ALL_OLD. */
        void failedPut(Samples samples) {
            Floor item = new Floor("bench#held#" + (floorKeys.get() % 2 == 0 ? "even" : "odd"));
            item.item.put("expiresAt", AttributeValue.fromN(Long.toString(Instant.now().plus(Duration.ofDays(30)).getEpochSecond())));
            if (samples == null) {
                dynamoDb.putItem(put -> put.tableName(resources.eventsTable()).item(item.item));
                Floor other = new Floor("bench#held#" + (floorKeys.get() % 2 == 0 ? "odd" : "even"));
                other.item.put("expiresAt", item.item.get("expiresAt"));
                dynamoDb.putItem(put -> put.tableName(resources.eventsTable()).item(other.item));
                return;
            }
            long start = System.nanoTime();
            try {
                item.claim();
                throw new IllegalStateException("the held key was claimed again");
            } catch (ConditionalCheckFailedException expected) {
                samples.add(System.nanoTime() - start);
            }
        }
    }

    /** One floor event: the same item, condition and message as the ingest writes. */
    private final class Floor {
        final Map<String, AttributeValue> item = new HashMap<>();
        final String pk;
        final long leaseUntil;

        Floor(String pk) {
            this.pk = pk;
            Instant now = Instant.now();
            leaseUntil = now.toEpochMilli() + 30_000;
            item.put("pk", AttributeValue.fromS(pk));
            item.put("status", AttributeValue.fromS("RECEIVED"));
            item.put("payloadHash", AttributeValue.fromS("0".repeat(64)));
            item.put("receivedAt", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
            item.put("leaseUntil", AttributeValue.fromN(Long.toString(leaseUntil)));
            item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(Duration.ofDays(30)).getEpochSecond())));
            item.put("deliveries", AttributeValue.fromN("1"));
            item.put("tenant", AttributeValue.fromS(TENANT));
            item.put("source", AttributeValue.fromS(SOURCE));
            item.put("eventKey", AttributeValue.fromS(pk));
            item.put("eventType", AttributeValue.fromS("customer.created"));
            item.put("version", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        }

        void claim() {
            dynamoDb.putItem(put -> put.tableName(resources.eventsTable()).item(item)
                    .conditionExpression(LedgerConditions.CLAIM)
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        }

        void send() {
            Deliveries.Delivery delivery = deliveries.next();
            String body = EnvelopeCodec.encode(new EventEnvelope(new EventId(TENANT, SOURCE, "evt_floor"), "stripe",
                    "customer.created", System.currentTimeMillis(), "0".repeat(64), System.currentTimeMillis(), delivery.body()));
            sqs.sendMessage(send -> send.queueUrl(floorQueueUrl).messageBody(body).messageAttributes(Map.of(
                    "tenant", string(TENANT), "source", string(SOURCE), "eventType", string("customer.created"))));
        }

        void markEnqueued() {
            dynamoDb.updateItem(update -> update.tableName(resources.eventsTable())
                    .key(Map.of("pk", AttributeValue.fromS(pk)))
                    .updateExpression("SET #status = :enqueued")
                    .conditionExpression(LedgerConditions.OWN_CLAIM)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":enqueued", AttributeValue.fromS("ENQUEUED"),
                            ":received", AttributeValue.fromS("RECEIVED"), ":lease", AttributeValue.fromN(Long.toString(leaseUntil)))));
        }

        private MessageAttributeValue string(String value) {
            return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
        }
    }

    // ---- throughput, request counts, end to end -----------------------------------------------

    /** A closed loop with the function's CPU time per call, and a JFR profile of its first container when asked. */
    private void measured(String series, LocalFunction function, boolean profile, Duration window, Runnable operation,
                          Map<String, Double> throughput, Map<String, Double> cpuPerCall,
                          Map<String, Profiler.Profile> profiles) throws Exception {
        List<Long> pids = function.pids();
        if (profile) {
            Profiler.start(pids.get(0));
        }
        double cpuBefore = pids.stream().mapToDouble(ProcessStats::cpuSeconds).sum();
        long[] done = new long[1];
        double rate = closedLoop(4, window, () -> {
            operation.run();
            synchronized (done) {
                done[0]++;
            }
        });
        double cpuAfter = pids.stream().mapToDouble(ProcessStats::cpuSeconds).sum();
        throughput.put(series, rate);
        cpuPerCall.put(series, (cpuAfter - cpuBefore) * 1000 / Math.max(1, done[0]));
        if (profile) {
            profiles.put(series, Profiler.summarize(Profiler.dump(pids.get(0), work.resolve(series + ".jfr"))));
        }
    }

    private double closedLoop(int clients, Duration window, Runnable operation) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        LongAdder done = new LongAdder();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + window.toNanos();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < end && failures.isEmpty()) {
                    try {
                        operation.run();
                        done.increment();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(window.toSeconds() + 60, TimeUnit.SECONDS);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("closed loop failed", failures.peek());
        }
        return done.sum() / ((System.nanoTime() - start) / 1e9);
    }

    /** Requests per call of {@code operation}, from the counter lines the container printed. */
    private Map<String, Double> perCall(FunctionOutput output, int calls, Runnable operation) throws InterruptedException {
        Map<String, Long> before = settled(output);
        for (int i = 0; i < calls; i++) {
            operation.run();
        }
        return perEvent(difference(before, settled(output)), calls);
    }

    /** The counts once the container's output has been read up to now. */
    private Map<String, Long> settled(FunctionOutput output) throws InterruptedException {
        Map<String, Long> last = output.calls();
        while (true) {
            Thread.sleep(500);
            Map<String, Long> now = output.calls();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
    }

    private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((call, count) -> {
            long d = count - before.getOrDefault(call, 0L);
            if (d != 0) {
                delta.put(call, d);
            }
        });
        return delta;
    }

    private static Map<String, Double> perEvent(Map<String, Long> counts, int events) {
        Map<String, Double> per = new TreeMap<>();
        counts.forEach((call, count) -> per.put(call, count / (double) events));
        return per;
    }

    /** Unique events through ingest and worker, then duplicates; requests per event by who makes them. */
    private Map<String, Map<String, Double>> countEndToEnd(Operations ops, FunctionOutput ingestOut, FunctionOutput workerOut)
            throws InterruptedException {
        int events = n(300);
        Map<String, Long> ingestBefore = settled(ingestOut);
        Map<String, Long> workerBefore = settled(workerOut);
        Map<String, Long> esmBefore = AwsCallCounter.snapshot(esmCalls);
        long completedBefore = workerOut.outcome("completed");
        long start = System.nanoTime();
        closedCount(4, events, () -> ops.oursHttp(null));
        awaitOutcome(workerOut, "completed", completedBefore + events, Duration.ofMinutes(3));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Map<String, Double>> result = new LinkedHashMap<>();
        result.put("ingest, per unique event", perEvent(difference(ingestBefore, settled(ingestOut)), events));
        result.put("worker, per unique event", perEvent(difference(workerBefore, settled(workerOut)), events));
        result.put("event source mapping (SQS polling, billed to the account), per unique event",
                perEvent(difference(esmBefore, AwsCallCounter.snapshot(esmCalls)), events));
        Map<String, Long> ingestDuplicatesBefore = settled(ingestOut);
        Map<String, Long> workerDuplicatesBefore = settled(workerOut);
        closedCount(4, events, () -> ops.oursDuplicate(null));
        Thread.sleep(3000); // anything a duplicate wrongly enqueued would reach the worker by now
        result.put("ingest, per duplicate", perEvent(difference(ingestDuplicatesBefore, settled(ingestOut)), events));
        result.put("worker, per duplicate", perEvent(difference(workerDuplicatesBefore, settled(workerOut)), events));
        report.note("End-to-end count run: " + events + " unique events, all COMPLETED by the worker in "
                + String.format(Locale.ROOT, "%.1f", seconds) + " s; worker outcomes so far " + workerOut.outcomes() + ".");
        return result;
    }

    private void closedCount(int clients, int total, Runnable operation) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong left = new AtomicLong(total);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < clients; i++) {
            pool.submit(() -> {
                while (left.getAndDecrement() > 0 && failures.isEmpty()) {
                    try {
                        operation.run();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("load failed", failures.peek());
        }
    }

    private void awaitOutcome(FunctionOutput output, String outcome, long count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (output.outcome(outcome) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + output.outcome(outcome) + " of " + count + " '" + outcome
                        + "' outcomes within " + limit + "; outcomes " + output.outcomes() + "\n" + output.tail());
            }
            Thread.sleep(50);
        }
    }

    record Sustained(int batchSize, int concurrency, int clients, long events, double ingestSeconds, double endToEndSeconds,
                     Map<String, Double> cpuShare, double ingestPeakRssMb, double workerPeakRssMb) {
        double endToEndRate() {
            return events / endToEndSeconds;
        }

        double ingestRate() {
            return events / ingestSeconds;
        }
    }

    /**
     * Unique deliveries over HTTP as fast as 4 clients get them answered, for {@code window}; the
     * end-to-end rate counts until the worker has completed every one. CPU seconds per process
     * group over that time name the bottleneck (on 2 cores, 2 CPU seconds per second is all there is).
     */
    private Sustained sustain(Operations ops, FunctionOutput workerOut, LocalFunction ingest, LocalFunction worker,
                              int batchSize, int concurrency, Duration window) throws InterruptedException {
        log("sustained load, worker concurrency " + concurrency);
        int clients = 4;
        Map<String, List<Long>> groups = processGroups(ingest, worker);
        Map<String, Double> cpuBefore = cpu(groups);
        long completedBefore = workerOut.outcome("completed");
        long start = System.nanoTime();
        LongAdder sent = new LongAdder();
        closedLoop(clients, window, () -> {
            ops.oursHttp(null);
            sent.increment();
        });
        double ingestSeconds = (System.nanoTime() - start) / 1e9;
        awaitOutcome(workerOut, "completed", completedBefore + sent.sum(), Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpuAfter = cpu(groups);
        Map<String, Double> share = new LinkedHashMap<>();
        cpuAfter.forEach((group, used) -> share.put(group, (used - cpuBefore.getOrDefault(group, 0.0)) / seconds));
        double ingestRss = ingest.pids().stream().mapToDouble(ProcessStats::peakRssMb).max().orElse(-1);
        double workerRss = worker.pids().stream().mapToDouble(ProcessStats::peakRssMb).max().orElse(-1);
        return new Sustained(batchSize, concurrency, clients, sent.sum(), ingestSeconds, seconds, share, ingestRss, workerRss);
    }

    private Map<String, List<Long>> processGroups(LocalFunction ingest, LocalFunction worker) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        groups.put(MOTO_GROUP, ProcessStats.descendants("ledgerhook_moto.py"));
        groups.put("ElasticMQ", ProcessStats.descendants("org.elasticmq.server.Main"));
        groups.put("ingest containers", ingest.pids());
        groups.put("worker containers", worker.pids());
        groups.put("benchmark JVM (load driver, HTTP front, event source mapping, QuickBooks simulator)",
                List.of(ProcessHandle.current().pid()));
        return groups;
    }

    private static Map<String, Double> cpu(Map<String, List<Long>> groups) {
        Map<String, Double> used = new LinkedHashMap<>();
        groups.forEach((group, pids) -> used.put(group, pids.stream().mapToDouble(ProcessStats::cpuSeconds).sum()));
        return used;
    }

    // ---- start-up -----------------------------------------------------------------------------

    record Startup(Samples firstEvent, Samples initialized, double peakRssMb) {
    }

    /** Time from the container JVM's start to its first handled event's answer, {@code starts} times. */
    private Startup startups(String function, Path zip, int starts) throws Exception {
        Samples first = new Samples();
        Samples ready = new Samples();
        double rss = 0;
        for (int i = 0; i < starts; i++) {
            log("start-up of " + function + " " + (i + 1) + "/" + starts);
            FunctionOutput output = new FunctionOutput();
            Map<String, String> env = environment;
            LocalFunction container = LocalFunction.start(new FunctionSpec("bench-startup-" + function, zip,
                    LocalEnvironment.HANDLER, 512, Duration.ofSeconds(60), env, 1), work, output);
            try {
                Instant jvmStart = awaitPid(container);
                byte[] event = function.equals("ingest")
                        ? Deliveries.apiGatewayEvent(TENANT, SOURCE, deliveries.next()) : workerEvent();
                Invocation.Result result = container.invoke(event).get(120, TimeUnit.SECONDS);
                Instant answered = Instant.now();
                if (!(result instanceof Invocation.Response)) {
                    throw new IllegalStateException(function + " failed its first event: " + describe(result) + "\n" + output.tail());
                }
                first.add(Duration.between(jvmStart, answered).toNanos());
                rss = Math.max(rss, container.pids().stream().mapToDouble(ProcessStats::peakRssMb).max().orElse(-1));
                ready.add(0);
            } finally {
                container.close();
            }
        }
        return new Startup(first, ready, rss);
    }

    private static Instant awaitPid(LocalFunction function) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<Long> pids = function.pids();
            if (!pids.isEmpty()) {
                return ProcessHandle.of(pids.get(0)).flatMap(process -> process.info().startInstant())
                        .orElseThrow(() -> new IllegalStateException("no start time for the container"));
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the container did not start");
    }

    /** One SQS record of a new customer.created event, as the event source mapping hands it over. */
    private byte[] workerEvent() {
        Deliveries.Delivery delivery = deliveries.next();
        String payload = delivery.body();
        EventEnvelope envelope = new EventEnvelope(new EventId(TENANT, SOURCE, delivery.eventId()), "stripe", "customer.created",
                System.currentTimeMillis(), sha256(payload), System.currentTimeMillis(), payload);
        ObjectNode event = JSON.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject()
                .put("messageId", UUID.randomUUID().toString())
                .put("body", EnvelopeCodec.encode(envelope))
                .put("eventSource", "aws:sqs")
                .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + StackDefinition.DEFAULT_STACK_NAME + "-events")
                .put("awsRegion", "us-east-1");
        record.putObject("attributes").put("ApproximateReceiveCount", "1");
        record.putObject("messageAttributes");
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static String describe(Invocation.Result result) {
        if (result instanceof Invocation.Response response) {
            return new String(response.body(), StandardCharsets.UTF_8);
        }
        return String.valueOf(result);
    }

    static String uptime() {
        try {
            Process process = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(5, TimeUnit.SECONDS);
            return text;
        } catch (IOException | InterruptedException e) {
            return "(uptime unavailable)";
        }
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
    }

    private final Map<String, LongAdder> failures = new java.util.concurrent.ConcurrentHashMap<>();

    /** A delivery that did not get its 200 (time-out, 5xx): counted for the report, never retried, left out of the figures. */
    private void failed(String what) {
        String kind = what.length() > 160 ? what.substring(0, 160) : what;
        if (failures.computeIfAbsent(kind, k -> new LongAdder()).sum() == 0) {
            log("FAILED: " + what);
        }
        failures.get(kind).increment();
    }

    private void stopAll() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("[bench] while stopping: " + e);
            }
        }
        running.clear();
    }
}
