package dev.ledgerhook.stack;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.sqs.SqsClient;

/** The concrete table names and queue URLs this deployment uses, from {@link StackConfig}. */
@ApplicationScoped
public class StackResources {

    private final StackConfig config;
    private final SqsClient sqs;
    private final ConcurrentMap<String, String> queueUrls = new ConcurrentHashMap<>();

    public StackResources(StackConfig config, SqsClient sqs) {
        this.config = config;
        this.sqs = sqs;
    }

    public String eventsTable() {
        return config.eventsTable().orElseGet(() -> StackDefinition.EVENTS_TABLE.nameFor(config.stackName()));
    }

    public String tenantsTable() {
        return config.tenantsTable().orElseGet(() -> StackDefinition.TENANTS_TABLE.nameFor(config.stackName()));
    }

    public String externalIdsTable() {
        return config.externalIdsTable().orElseGet(() -> StackDefinition.EXTERNAL_IDS_TABLE.nameFor(config.stackName()));
    }

    public String entityMirrorTable() {
        return config.entityMirrorTable().orElseGet(() -> StackDefinition.ENTITY_MIRROR_TABLE.nameFor(config.stackName()));
    }

    public String eventsQueueUrl() {
        return config.eventsQueueUrl().orElseGet(() -> lookUp(StackDefinition.EVENTS_QUEUE));
    }

    public String eventsDlqUrl() {
        return config.eventsDlqUrl().orElseGet(() -> lookUp(StackDefinition.EVENTS_DLQ));
    }

    /** One GetQueueUrl per queue and warm container; AWS deployments set the URL and skip it. */
    private String lookUp(QueueSpec queue) {
        return queueUrls.computeIfAbsent(queue.baseName(),
                name -> sqs.getQueueUrl(get -> get.queueName(queue.nameFor(config.stackName()))).queueUrl());
    }
}
