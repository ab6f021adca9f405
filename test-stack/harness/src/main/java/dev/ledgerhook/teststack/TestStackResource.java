package dev.ledgerhook.teststack;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the shared test stack: {@code @QuarkusTestResource(TestStackResource.class)}.
 * The stack outlives each Quarkus application and stops with the JVM.
 */
public class TestStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestStacks.shared().quarkusConfig();
    }

    @Override
    public void stop() {
        // the shared stack stops with the JVM
    }
}
