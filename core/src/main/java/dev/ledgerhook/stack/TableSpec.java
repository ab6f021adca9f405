package dev.ledgerhook.stack;

import java.util.Optional;

/**
 * One DynamoDB table as the code relies on it. {@code sam-template.yaml} declares the same table;
 * {@code SamTemplateConsistencyTest} fails when the two disagree.
 *
 * @param baseName     the name without the stack prefix: the deployed table is {@code {stack}-{baseName}}
 * @param partitionKey the hash key, always a string attribute
 * @param sortKey      the range key, when the table has one
 * @param ttlAttribute the number attribute DynamoDB's TTL deletes on, when the table expires items
 */
public record TableSpec(String baseName, String partitionKey, Optional<String> sortKey, Optional<String> ttlAttribute) {

    public String nameFor(String stackName) {
        return stackName + "-" + baseName;
    }
}
