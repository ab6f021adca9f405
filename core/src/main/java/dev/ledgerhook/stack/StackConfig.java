package dev.ledgerhook.stack;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the functions find their tables and queues. In AWS the template sets every value through
 * environment variables ({@code LEDGERHOOK_EVENTS_TABLE}, ...); locally the defaults derive them
 * from the stack name, as {@link StackProvisioner} creates them.
 */
@ConfigMapping(prefix = "ledgerhook")
public interface StackConfig {

    /** The stack name; tables and queues are named {@code {stack}-{name}}. Default {@code ledgerhook}. */
    @WithDefault(StackDefinition.DEFAULT_STACK_NAME)
    String stackName();

    /** The events table. Default {@code {stack}-events}. */
    Optional<String> eventsTable();

    /** The tenants table. Default {@code {stack}-tenants}. */
    Optional<String> tenantsTable();

    /** The external-id map table. Default {@code {stack}-external-ids}. */
    Optional<String> externalIdsTable();

    /** The entity mirror table. Default {@code {stack}-entity-mirror}. */
    Optional<String> entityMirrorTable();

    /** The events queue's URL. Default: looked up by the name {@code {stack}-events}. */
    Optional<String> eventsQueueUrl();

    /** The dead-letter queue's URL. Default: looked up by the name {@code {stack}-events-dlq}. */
    Optional<String> eventsDlqUrl();
}
