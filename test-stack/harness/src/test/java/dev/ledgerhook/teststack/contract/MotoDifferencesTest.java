package dev.ledgerhook.teststack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ledgerhook.ledger.EventAttributes;
import dev.ledgerhook.ledger.LedgerConditions;
import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.teststack.EmbeddedEmulators;
import dev.ledgerhook.teststack.TestStack;
import dev.ledgerhook.teststack.TestStacks;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Where moto 5.2.5 and DynamoDB differ, one test each (README, "Where moto differs from
 * DynamoDB"). Where moto accepts what DynamoDB refuses, the harness' launcher refuses it as
 * DynamoDB does, and the test holds that; where the difference stays, the test pins moto's
 * behaviour, so an upgrade that changes it is noticed, and names what the code does instead of
 * relying on it. Runs on the embedded emulators only.
 */
class MotoDifferencesTest {

    private static final String EVENTS = StackDefinition.EVENTS_TABLE.nameFor(StackDefinition.DEFAULT_STACK_NAME);

    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void connect() {
        TestStack stack = TestStacks.shared();
        assumeTrue(stack instanceof EmbeddedEmulators, "moto's differences concern the embedded emulators");
        dynamoDb = stack.dynamoDb();
    }

    @AfterAll
    static void disconnect() {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
    }

    /**
     * DynamoDB deletes an expired item within about two days; moto never does. Nothing may rely on
     * either: the claim condition treats an expired item as absent (invariant 4, the contract test
     * on it), so the events table behaves the same before and after the sweep.
     */
    @Test
    void expiredItemsStayForEverAndCountAsAbsent() throws InterruptedException {
        String key = "moto#stripe#evt_" + UUID.randomUUID();
        claim(key, Instant.now().minusSeconds(3600));
        Thread.sleep(1_500);
        assertTrue(get(key).containsKey(EventAttributes.PK), "moto keeps an item an hour past its TTL");

        claim(key, Instant.now().plusSeconds(3600)); // re-claimed: the condition, not the sweep, decides

        assertTrue(Long.parseLong(get(key).get(EventAttributes.EXPIRES_AT).n()) > Instant.now().getEpochSecond());
    }

    /** DynamoDB refuses an expression value no expression uses; moto would apply the write. */
    @Test
    void unusedExpressionValuesAreRefused() {
        DynamoDbException refused = assertThrows(DynamoDbException.class, () -> dynamoDb.putItem(put -> put
                .tableName(EVENTS).item(Map.of(EventAttributes.PK, s("moto#unused#" + UUID.randomUUID())))
                .conditionExpression("attribute_not_exists(pk)")
                .expressionAttributeValues(Map.of(":now", n(1)))));
        assertValidation(refused, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:now}");
    }

    /** Likewise for names, here inside a transaction. */
    @Test
    void unusedExpressionNamesAreRefusedInTransactionsToo() {
        DynamoDbException refused = assertThrows(DynamoDbException.class, () -> dynamoDb.transactWriteItems(write -> write
                .transactItems(item -> item.update(update -> update.tableName(EVENTS)
                        .key(Map.of(EventAttributes.PK, s("moto#unused#" + UUID.randomUUID())))
                        .updateExpression("SET attempts = :one")
                        .expressionAttributeNames(Map.of("#status", EventAttributes.STATUS))
                        .expressionAttributeValues(Map.of(":one", n(1)))))));
        assertValidation(refused, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#status}");
    }

    /** DynamoDB takes at most 25 writes in one BatchWriteItem; moto takes any number. */
    @Test
    void batchWritesOfMoreThanTwentyFiveAreRefused() {
        List<WriteRequest> writes = IntStream.range(0, 26).mapToObj(i -> WriteRequest.builder()
                .putRequest(put -> put.item(Map.of(EventAttributes.PK, s("moto#batch#" + i)))).build()).toList();
        DynamoDbException refused = assertThrows(DynamoDbException.class,
                () -> dynamoDb.batchWriteItem(batch -> batch.requestItems(Map.of(EVENTS, writes))));
        assertValidation(refused, "Member must have length less than or equal to 25");
        dynamoDb.batchWriteItem(batch -> batch.requestItems(Map.of(EVENTS, writes.subList(0, 25))));
    }

    /** DynamoDB keeps 38 significant digits and refuses more; moto stores any. */
    @Test
    void numbersOfMoreThanThirtyEightDigitsAreRefused() {
        String key = "moto#digits#" + UUID.randomUUID();
        DynamoDbException refused = assertThrows(DynamoDbException.class, () -> dynamoDb.putItem(put -> put
                .tableName(EVENTS).item(Map.of(EventAttributes.PK, s(key), "amount", AttributeValue.fromN("1".repeat(39))))));
        assertValidation(refused, "more than 38 significant digits");
        dynamoDb.putItem(put -> put.tableName(EVENTS)
                .item(Map.of(EventAttributes.PK, s(key), "amount", AttributeValue.fromN("1".repeat(38)))));
    }

    /**
     * DynamoDB refuses a key of the wrong type ("The provided key element does not match the
     * schema"); moto answers that there is no such item. Not closed: every key the code builds
     * comes from {@code StackDefinition}, where each key attribute is a string.
     */
    @Test
    void aKeyOfTheWrongTypeFindsNothingInsteadOfFailing() {
        assertTrue(dynamoDb.getItem(get -> get.tableName(EVENTS).key(Map.of(EventAttributes.PK, n(1)))).item().isEmpty());
    }

    /**
     * DynamoDB refuses to enable TTL on a table that has it ("TimeToLive is already enabled");
     * moto accepts it again. Not closed: the provisioner enables TTL only on a table it has just
     * created.
     */
    @Test
    void enablingTtlTwiceIsAccepted() {
        assertTrue(dynamoDb.updateTimeToLive(ttl -> ttl.tableName(EVENTS)
                .timeToLiveSpecification(spec -> spec.attributeName(EventAttributes.EXPIRES_AT).enabled(true)))
                .timeToLiveSpecification().enabled());
    }

    private static void claim(String key, Instant expiresAt) {
        dynamoDb.putItem(put -> put.tableName(EVENTS)
                .item(Map.of(EventAttributes.PK, s(key), EventAttributes.EXPIRES_AT, n(expiresAt.getEpochSecond())))
                .conditionExpression(LedgerConditions.CLAIM)
                .expressionAttributeValues(Map.of(":now", n(Instant.now().getEpochSecond()))));
    }

    private static Map<String, AttributeValue> get(String key) {
        return dynamoDb.getItem(get -> get.tableName(EVENTS).consistentRead(true).key(Map.of(EventAttributes.PK, s(key)))).item();
    }

    private static void assertValidation(DynamoDbException refused, String message) {
        assertEquals(400, refused.statusCode());
        assertEquals("ValidationException", refused.awsErrorDetails().errorCode());
        assertTrue(refused.awsErrorDetails().errorMessage().contains(message), refused.awsErrorDetails().errorMessage());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
