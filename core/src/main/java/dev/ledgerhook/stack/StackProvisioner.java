package dev.ledgerhook.stack;

import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the tables and queues of {@link StackDefinition} through the AWS SDK, for emulators and
 * LocalStack. In AWS, {@code sam-template.yaml} creates them instead. Safe to run twice.
 */
public final class StackProvisioner {

    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;

    public StackProvisioner(DynamoDbClient dynamoDb, SqsClient sqs) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
    }

    public void provision(String stackName) {
        StackDefinition.tables().forEach(table -> createTable(table, stackName));
        StackDefinition.queues().forEach(queue -> createQueue(queue, stackName));
    }

    public void createTable(TableSpec table, String stackName) {
        String name = table.nameFor(stackName);
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (table.sortKey().isPresent()) {
            request.keySchema(key(table.partitionKey(), KeyType.HASH), key(table.sortKey().get(), KeyType.RANGE))
                    .attributeDefinitions(stringAttribute(table.partitionKey()), stringAttribute(table.sortKey().get()));
        } else {
            request.keySchema(key(table.partitionKey(), KeyType.HASH))
                    .attributeDefinitions(stringAttribute(table.partitionKey()));
        }
        try {
            dynamoDb.createTable(request.build());
        } catch (ResourceInUseException alreadyThere) {
            return;
        }
        table.ttlAttribute().ifPresent(attribute -> dynamoDb.updateTimeToLive(ttl -> ttl.tableName(name)
                .timeToLiveSpecification(spec -> spec.attributeName(attribute).enabled(true))));
    }

    /** Creates the queue (its DLQ must exist already) and returns its URL. */
    public String createQueue(QueueSpec queue, String stackName) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilityTimeoutSeconds()));
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.messageRetentionSeconds()));
        attributes.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(queue.maximumMessageSizeBytes()));
        queue.redrive().ifPresent(redrive -> attributes.put(QueueAttributeName.REDRIVE_POLICY,
                redrivePolicy(deadLetterArn(redrive.deadLetterQueueBaseName(), stackName), redrive.maxReceiveCount())));
        return sqs.createQueue(create -> create.queueName(queue.nameFor(stackName)).attributes(attributes)).queueUrl();
    }

    private String deadLetterArn(String deadLetterBaseName, String stackName) {
        String url = sqs.getQueueUrl(get -> get.queueName(stackName + "-" + deadLetterBaseName)).queueUrl();
        return sqs.getQueueAttributes(get -> get.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    static String redrivePolicy(String deadLetterArn, int maxReceiveCount) {
        return "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
