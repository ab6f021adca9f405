package dev.ledgerhook.teststack;

import java.util.concurrent.CountDownLatch;

import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;

/**
 * The local default's data plane: moto (DynamoDB) and ElasticMQ on fixed loopback ports (8000 and
 * 9324 unless {@code -Dledgerhook.local.dynamodb-port} / {@code -Dledgerhook.local.sqs-port} say
 * otherwise), provisioned with the stack's tables and queues. Runs until interrupted (Ctrl-C);
 * the emulators stop with it.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int dynamoDbPort = Integer.getInteger("ledgerhook.local.dynamodb-port", 8000);
        int sqsPort = Integer.getInteger("ledgerhook.local.sqs-port", 9324);
        EmbeddedEmulators emulators = EmbeddedEmulators.start(dynamoDbPort, sqsPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulators.close();
            stopped.countDown();
        }, "local-stack-stop"));
        try (var dynamoDb = emulators.dynamoDb(); var sqs = emulators.sqs()) {
            new StackProvisioner(dynamoDb, sqs).provision(StackDefinition.DEFAULT_STACK_NAME);
        }
        System.out.println("[ledgerhook] local stack ready: DynamoDB (moto) " + emulators.dynamoDbEndpoint()
                + ", ElasticMQ " + emulators.sqsEndpoint() + ", stack name '" + StackDefinition.DEFAULT_STACK_NAME + "'");
        stopped.await();
    }
}
