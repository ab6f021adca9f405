package dev.ledgerhook.stack;

import java.util.List;
import java.util.Optional;

/**
 * The one definition of Ledgerhook's tables and queues. The harness and the local default create
 * them from here, the functions read their names from here, and a test holds
 * {@code sam-template.yaml} to the same values.
 */
public final class StackDefinition {

    /** The stack name used when none is configured: local runs and tests. */
    public static final String DEFAULT_STACK_NAME = "ledgerhook";

    /** Worker function timeout in seconds; the queue's visibility timeout is six times this. */
    public static final int WORKER_TIMEOUT_SECONDS = 60;

    /**
     * SQS's message size limit (1 MiB since August 2025). An envelope carries a delivery's payload
     * plus a few hundred bytes of metadata, so the ingest body limit stays below this.
     */
    public static final int MAX_MESSAGE_BYTES = 1_048_576;

    /** Receives before SQS moves a message to the DLQ. */
    public static final int MAX_RECEIVE_COUNT = 5;

    /** One item per claimed event, keyed {@code {tenant}#{source}#{eventKey}}, expired by TTL. */
    public static final TableSpec EVENTS_TABLE =
            new TableSpec("events", "pk", Optional.empty(), Optional.of("expiresAt"));

    /** Tenants and their sources: {@code pk} = tenant id, {@code sk} = {@code TENANT} or {@code SOURCE#{name}}. */
    public static final TableSpec TENANTS_TABLE =
            new TableSpec("tenants", "pk", Optional.of("sk"), Optional.empty());

    /**
     * The external-id map: {@code pk} = {@code {tenant}#{entityType}#{sourceObjectId}} → the
     * accounting system's id, SyncToken and the last applied event version.
     */
    public static final TableSpec EXTERNAL_IDS_TABLE =
            new TableSpec("external-ids", "pk", Optional.empty(), Optional.empty());

    /** The entity mirror: {@code pk} = {@code {tenant}#{Entity}#{id}} → last read state and its lastUpdated. */
    public static final TableSpec ENTITY_MIRROR_TABLE =
            new TableSpec("entity-mirror", "pk", Optional.empty(), Optional.empty());

    public static final QueueSpec EVENTS_DLQ =
            new QueueSpec("events-dlq", WORKER_TIMEOUT_SECONDS * 6, 1_209_600, MAX_MESSAGE_BYTES, Optional.empty());

    public static final QueueSpec EVENTS_QUEUE = new QueueSpec("events", WORKER_TIMEOUT_SECONDS * 6, 345_600,
            MAX_MESSAGE_BYTES, Optional.of(new QueueSpec.Redrive(EVENTS_DLQ.baseName(), MAX_RECEIVE_COUNT)));

    private StackDefinition() {
    }

    public static List<TableSpec> tables() {
        return List.of(EVENTS_TABLE, TENANTS_TABLE, EXTERNAL_IDS_TABLE, ENTITY_MIRROR_TABLE);
    }

    /** Dead-letter queues first: a queue's redrive policy names its DLQ's ARN. */
    public static List<QueueSpec> queues() {
        return List.of(EVENTS_DLQ, EVENTS_QUEUE);
    }
}
