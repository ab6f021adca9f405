package dev.ledgerhook.worker;

import java.util.HashMap;
import java.util.Map;

import dev.ledgerhook.quickbooks.simulator.QuickBooksSimulator;
import dev.ledgerhook.teststack.TestStacks;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The test stack plus a QuickBooks simulator, and the worker pointed at both with test-sized delays. */
public class WorkerTestResource implements QuarkusTestResourceLifecycleManager {

    static QuickBooksSimulator simulator;

    @Override
    public synchronized Map<String, String> start() {
        if (simulator == null) {
            simulator = QuickBooksSimulator.start(0);
        }
        Map<String, String> config = new HashMap<>(TestStacks.shared().quarkusConfig());
        config.put("ledgerhook.quickbooks.base-url", simulator.baseUrl());
        config.put("ledgerhook.quickbooks.token-url", simulator.baseUrl() + "/oauth2/v1/tokens/bearer");
        config.put("ledgerhook.worker.redelivery-delay", "PT0S");
        config.put("ledgerhook.worker.retry-delay", "PT0.05S");
        config.put("ledgerhook.worker.max-retry-delay", "PT0.2S");
        config.put("ledgerhook.worker.retry-jitter", "PT0.02S");
        config.put("ledgerhook.worker.circuit-delay", "PT5S");
        return config;
    }

    @Override
    public void stop() {
        // the simulator and the stack stop with the JVM
    }
}
