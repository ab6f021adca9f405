package dev.ledgerhook.stack;

import java.util.Optional;

/**
 * A {@link StackConfig} outside Quarkus (the operator tool, the local runner): every table and
 * queue named after the stack, as {@link StackProvisioner} and the template create them.
 */
public record NamedStack(String stackName) implements StackConfig {

    @Override
    public Optional<String> eventsTable() {
        return Optional.empty();
    }

    @Override
    public Optional<String> tenantsTable() {
        return Optional.empty();
    }

    @Override
    public Optional<String> externalIdsTable() {
        return Optional.empty();
    }

    @Override
    public Optional<String> entityMirrorTable() {
        return Optional.empty();
    }

    @Override
    public Optional<String> eventsQueueUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<String> eventsDlqUrl() {
        return Optional.empty();
    }
}
