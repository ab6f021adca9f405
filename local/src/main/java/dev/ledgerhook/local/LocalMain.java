package dev.ledgerhook.local;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.ledgerhook.operator.signing.DeliverySigner;
import dev.ledgerhook.operator.signing.SampleEvents;
import dev.ledgerhook.operator.signing.SignedRequest;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.quickbooks.simulator.QuickBooksSimulator;

/**
 * {@code ./run-local}: starts the {@link LocalDefault} on its fixed ports, prints where everything
 * is and a signed example to paste, and stops it all on Ctrl-C.
 */
public final class LocalMain {

    static final String READY = "Ledgerhook is running locally";

    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
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
        System.out.println("[local] starting" + options.dataDirectory().map(dir -> ", state kept in " + dir)
                .orElse(", state in memory"));
        LocalDefault local;
        try {
            local = LocalDefault.start(options);
        } catch (RuntimeException failed) {
            System.err.println("run-local: could not start: " + failed.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[local] stopping");
            local.close();
            stopped.countDown();
        }, "local-stop"));
        printReady(options, local);
        stopped.await();
    }

    private static void printReady(LocalOptions options, LocalDefault local) {
        SampleEvents.Sample sample = SampleEvents.of(SourceType.QUICKBOOKS, Instant.now());
        String url = local.webhookBaseUrl() + "/demo/quickbooks";
        SignedRequest example = new SignedRequest(url, DeliverySigner.headers(SourceType.QUICKBOOKS,
                DemoTenant.SECRETS.get(SourceType.QUICKBOOKS), "", "", sample.body(), Instant.now()), sample.body());
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
                local.seededDemoTenant() ? "seeded" : "found in the kept state", options.httpPort(), options.simulatorPort(),
                QuickBooksSimulator.DEMO_REALM, options.dynamoDbPort(), options.sqsPort(), example.curl()));
    }

}
