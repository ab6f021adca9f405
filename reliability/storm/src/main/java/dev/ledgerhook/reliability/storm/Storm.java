package dev.ledgerhook.reliability.storm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;


import dev.ledgerhook.local.LocalDefault;
import dev.ledgerhook.local.LocalOptions;
import dev.ledgerhook.local.lambda.LocalFunction;
import dev.ledgerhook.reliability.faults.FaultSettings;
import dev.ledgerhook.reliability.faults.SdkFaultInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The storm: the local default started on free ports with the SDK fault interceptor in both
 * functions' containers, the simulator faulting, deliveries from many provider connections while
 * containers are SIGKILLed; then the dead-letter queue redriven, quiescence awaited, and every
 * invariant checked ({@link StormChecks}).
 */
final class Storm {

    /**
     * The queue's visibility time-out during the storm: the template's 360 s (6 x the worker's
     * time-out) would hold a killed worker's batch for six minutes; 65 s still exceeds the worker's
     * 60 s time-out, so a message is never visible to two live workers at once.
     */
    static final int STORM_VISIBILITY_SECONDS = 65;

    private final StormSettings settings;
    private final Consumer<String> out;

    Storm(StormSettings settings, Consumer<String> out) {
        this.settings = settings;
        this.out = out;
    }

    StormReport run() throws Exception {
        Instant started = Instant.now();
        Path faults = settings.work().resolve("faults").toAbsolutePath();
        deleteRecursively(faults);
        Files.createDirectories(faults);
        StormPlan plan = StormPlan.generate(settings.events(), settings.seed(), started);
        out.accept("[storm] " + plan.events.size() + " unique events, " + plan.deliveries() + " deliveries ("
                + plan.reversedCustomers + " customers with the newest version first)");
        LocalOptions options = LocalOptions.onFreePorts(settings.ingestContainers(), settings.workerConcurrency(), line -> { })
                .withFunctionExtras(new LocalOptions.FunctionExtras(functionEnvironment(faults), List.of(interceptorJar())));
        try (LocalDefault local = LocalDefault.start(options)) {
            out.accept("[storm] local default up in " + Duration.between(started, Instant.now()).toSeconds() + " s");
            prepare(local);
            Instant stormStarted = Instant.now();
            ProviderSender sender = new ProviderSender(local.webhookBaseUrl());
            Killer killer = new Killer(local, settings.killEvery(), new Random(settings.seed() + 1));
            killer.start();
            send(plan, sender);
            killer.stop();
            Duration sending = Duration.between(stormStarted, Instant.now());
            out.accept("[storm] all deliveries answered in " + sending.toSeconds() + " s; draining");
            SqsClient sqs = local.emulators().sqs();
            Drain drain = new Drain(sqs, local.resources().eventsQueueUrl(), local.resources().eventsDlqUrl(), out);
            drain.awaitQuiet(settings.drainTimeout());
            int dlqBefore = drain.deadLetters();
            int redriven = 0;
            for (int round = 1; round <= 3 && drain.deadLetters() > 0; round++) {
                int moved = drain.redrivePoisonFree();
                redriven += moved;
                out.accept("[storm] redrive round " + round + ": " + moved + " messages back to the events queue");
                drain.awaitQuiet(settings.drainTimeout());
            }
            int dlqAfter = drain.deadLetters();
            Duration wall = Duration.between(stormStarted, Instant.now());
            FaultLog log = FaultLog.read(faults, queueName(local.resources().eventsQueueUrl()));
            SimulatorControl simulator = new SimulatorControl(local.simulator().baseUrl());
            StormChecks checks = new StormChecks(plan, local, log, sender, simulator);
            return checks.report(sending, wall, dlqBefore, dlqAfter, redriven, killer,
                    simulator.get("/sim/stats/" + StormPlan.QUICKBOOKS_REALM));
        }
    }

    private Map<String, String> functionEnvironment(Path faults) {
        return Map.ofEntries(
                Map.entry(FaultSettings.DIRECTORY, faults.toString()),
                Map.entry(FaultSettings.DYNAMODB_THROTTLE_RATE, Double.toString(StormSettings.DYNAMODB_THROTTLE_RATE)),
                Map.entry(FaultSettings.SQS_SEND_FAILURE_RATE, Double.toString(StormSettings.SQS_SEND_FAILURE_RATE)),
                Map.entry(FaultSettings.KILL_BEFORE_SEND_RATE, Double.toString(settings.windowKillRate())),
                Map.entry(FaultSettings.KILL_BEFORE_COMPLETED_RATE, Double.toString(settings.windowKillRate())),
                Map.entry(FaultSettings.KILL_CAP, Integer.toString(settings.windowKillCap())),
                // a re-claimable key after a kill between claim and send comes back in 10 s, not 30 (10 s is the minimum)
                Map.entry("LEDGERHOOK_INGEST_CLAIM_LEASE", "PT10S"),
                // transient failures come back after 2, 4, 8, 16 s instead of 30 s doubling, so a run ends
                Map.entry("LEDGERHOOK_WORKER_REDELIVERY_DELAY", "PT2S"),
                // the realm's rate limit is raised for throughput; QuickBooks' limits are tested elsewhere
                Map.entry("LEDGERHOOK_QUICKBOOKS_REQUESTS_PER_MINUTE", "100000"),
                // a simulated timeout (the simulator answers after 4 s) is a client-side time-out at 3 s
                Map.entry("LEDGERHOOK_QUICKBOOKS_REQUEST_TIMEOUT", "PT3S"));
    }

    /** The jar (or classes directory) holding the interceptor and its service file. */
    private static Path interceptorJar() throws Exception {
        return Path.of(SdkFaultInterceptor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private void prepare(LocalDefault local) throws Exception {
        SqsClient sqs = local.emulators().sqs();
        sqs.setQueueAttributes(set -> set.queueUrl(local.resources().eventsQueueUrl())
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(STORM_VISIBILITY_SECONDS))));
        String realm = StormPlan.QUICKBOOKS_REALM;
        SimulatorControl simulator = new SimulatorControl(local.simulator().baseUrl());
        simulator.put("/sim/realms/" + realm + "/limits", "{\"requestsPerMinute\":100000,\"maxConcurrent\":50}");
        simulator.put("/sim/faults/" + realm, """
                {"errorRate":%s,"throttleRate":%s,"timeoutRate":%s,"timeoutMs":4000,"seed":%d}""".formatted(
                StormSettings.SIMULATOR_ERROR_RATE, StormSettings.SIMULATOR_THROTTLE_RATE, StormSettings.SIMULATOR_TIMEOUT_RATE,
                settings.seed()));
    }

    private void send(StormPlan plan, ProviderSender sender) throws Exception {
        ExecutorService connections = Executors.newFixedThreadPool(settings.senders());
        ExecutorService bursts = Executors.newCachedThreadPool();
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> sent = new ArrayList<>();
        long progressEvery = Math.max(1, plan.items.size() / 10);
        for (StormPlan.Item item : plan.items) {
            sent.add(connections.submit(() -> {
                if (item.concurrent()) {
                    List<Future<?>> copies = new ArrayList<>();
                    for (int i = 0; i < item.copies(); i++) {
                        copies.add(bursts.submit(() -> sender.deliver(item.event())));
                    }
                    for (Future<?> copy : copies) {
                        copy.get();
                    }
                } else {
                    sender.deliver(item.event());
                }
                if (done.incrementAndGet() % progressEvery == 0) {
                    out.accept("[storm] " + done.get() + "/" + plan.items.size() + " delivery items answered");
                }
                return null;
            }));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        connections.shutdown();
        bursts.shutdown();
        connections.awaitTermination(1, TimeUnit.MINUTES);
    }

    static String queueName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static void deleteRecursively(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var files = Files.walk(directory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Random SIGKILLs of ingest and worker containers while the storm lasts; the supervisor restarts them. */
    static final class Killer {
        private final LocalDefault local;
        private final Duration every;
        private final Random random;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        final AtomicInteger ingestKills = new AtomicInteger();
        final AtomicInteger workerKills = new AtomicInteger();

        Killer(LocalDefault local, Duration every, Random random) {
            this.local = local;
            this.every = every;
            this.random = random;
            this.thread = new Thread(this::run, "storm-killer");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(10_000);
        }

        private void run() {
            while (running.get()) {
                try {
                    Thread.sleep((long) (every.toMillis() * (0.5 + random.nextDouble())));
                    boolean ingest = random.nextBoolean();
                    LocalFunction function = ingest ? local.ingest() : local.worker();
                    // a container killed before it initialized counts as a failed start; three in a row stop its function
                    function.awaitReady(Duration.ofSeconds(120));
                    if (!running.get()) {
                        return;
                    }
                    function.killOne();
                    (ingest ? ingestKills : workerKills).incrementAndGet();
                } catch (InterruptedException stopped) {
                    return;
                } catch (RuntimeException e) {
                    System.err.println("[storm] killer: " + e.getMessage());
                }
            }
        }
    }
}
