package dev.ledgerhook.teststack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ledgerhook.ledger.EventAttributes;
import dev.ledgerhook.ledger.LedgerConditions;
import dev.ledgerhook.stack.StackDefinition;
import dev.ledgerhook.stack.StackProvisioner;
import dev.ledgerhook.stack.TableSpec;
import dev.ledgerhook.teststack.TestStack;
import dev.ledgerhook.teststack.TestStacks;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Pins what the event ledger relies on from DynamoDB, with the ledger's own condition strings,
 * through the real SDK against whichever stack {@link TestStacks} runs.
 */
class DynamoDbContractTest {

    private static final String EVENTS_TABLE = StackDefinition.EVENTS_TABLE.nameFor(StackDefinition.DEFAULT_STACK_NAME);

    /**
     * The events table's key schema without TTL enabled, so that an expired item stays present
     * whatever the stack: AWS deletes expired items within about two days, moto never, and
     * LocalStack's DynamoDB (DynamoDB Local inside) was seen to sweep within a second.
     */
    private static final TableSpec UNSWEPT = new TableSpec("events-unswept",
            StackDefinition.EVENTS_TABLE.partitionKey(), StackDefinition.EVENTS_TABLE.sortKey(), Optional.empty());

    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void connect() {
        TestStack stack = TestStacks.shared();
        dynamoDb = stack.dynamoDb();
        new StackProvisioner(dynamoDb, null).createTable(UNSWEPT, StackDefinition.DEFAULT_STACK_NAME);
    }

    @AfterAll
    static void disconnect() {
        dynamoDb.close();
    }

    @Test
    void claimOfANewKeySucceeds() {
        String key = newKey();
        claim(key, "hash-1", Instant.now().plusSeconds(3600));
        assertEquals("hash-1", read(key).get(EventAttributes.PAYLOAD_HASH).s());
    }

    @Test
    void claimOfAHeldKeyFailsAndReturnsTheOldItemInOneCall() {
        String key = newKey();
        claim(key, "hash-original", Instant.now().plusSeconds(3600));

        ConditionalCheckFailedException duplicate = assertThrows(ConditionalCheckFailedException.class,
                () -> claim(key, "hash-second", Instant.now().plusSeconds(3600)));

        assertEquals("hash-original", duplicate.item().get(EventAttributes.PAYLOAD_HASH).s(),
                "ALL_OLD must hand back the existing item so a duplicate costs one call");
        assertEquals("hash-original", read(key).get(EventAttributes.PAYLOAD_HASH).s(), "the held item is unchanged");
    }

    @Test
    void claimOfAnExpiredButStillPresentKeySucceeds() {
        String table = UNSWEPT.nameFor(StackDefinition.DEFAULT_STACK_NAME);
        String key = newKey();
        claim(table, key, "hash-old", Instant.now().minusSeconds(60));
        assertEquals("hash-old", read(table, key).get(EventAttributes.PAYLOAD_HASH).s(), "present, though expired");

        claim(table, key, "hash-new", Instant.now().plusSeconds(3600));

        assertEquals("hash-new", read(table, key).get(EventAttributes.PAYLOAD_HASH).s());
    }

    /**
     * Sixteen deliveries of one event claim its key at the same instant, twenty times over: each
     * time exactly one wins. DynamoDB makes a conditional write atomic; moto checks and writes
     * with no lock between (only the GIL), which the harness' launcher closes by applying one
     * request at a time.
     */
    @Test
    void concurrentClaimsOfOneKeyLetExactlyOneWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 20; round++) {
                String key = newKey();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int delivery = 0; delivery < 16; delivery++) {
                    String hash = "hash-" + delivery;
                    claims.add(pool.submit(() -> {
                        start.await();
                        try {
                            claim(key, hash, Instant.now().plusSeconds(3600));
                            return true;
                        } catch (ConditionalCheckFailedException duplicate) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                long won = 0;
                for (Future<Boolean> claim : claims) {
                    won += claim.get() ? 1 : 0;
                }
                assertEquals(1, won, "claims of " + key + " that won");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leaseTakeOverSucceedsOnceWhenTheLeaseHasRunOut() {
        String key = newKey();
        long now = System.currentTimeMillis();
        putReceived(key, now - 1_000);

        takeOver(key, now, now + 30_000);
        assertThrows(ConditionalCheckFailedException.class, () -> takeOver(key, now, now + 30_000),
                "a second delivery in the same moment must see the fresh lease");

        assertEquals(Long.toString(now + 30_000), read(key).get(EventAttributes.LEASE_UNTIL).n());
    }

    @Test
    void leaseTakeOverFailsWhileTheLeaseRunsAndOnceTheEventMovedOn() {
        String running = newKey();
        long now = System.currentTimeMillis();
        putReceived(running, now + 30_000);
        assertThrows(ConditionalCheckFailedException.class, () -> takeOver(running, now, now + 30_000));

        String completed = newKey();
        putReceived(completed, now - 1_000);
        dynamoDb.updateItem(update -> update.tableName(EVENTS_TABLE).key(keyOf(completed))
                .updateExpression("SET #status = :completed")
                .expressionAttributeNames(Map.of("#status", EventAttributes.STATUS))
                .expressionAttributeValues(Map.of(":completed", s("COMPLETED"))));
        assertThrows(ConditionalCheckFailedException.class, () -> takeOver(completed, now, now + 30_000));
    }

    private static void claim(String key, String payloadHash, Instant expiresAt) {
        claim(EVENTS_TABLE, key, payloadHash, expiresAt);
    }

    private static void claim(String table, String key, String payloadHash, Instant expiresAt) {
        dynamoDb.putItem(put -> put.tableName(table)
                .item(Map.of(
                        EventAttributes.PK, s(key),
                        EventAttributes.STATUS, s("RECEIVED"),
                        EventAttributes.PAYLOAD_HASH, s(payloadHash),
                        EventAttributes.EXPIRES_AT, n(expiresAt.getEpochSecond())))
                .conditionExpression(LedgerConditions.CLAIM)
                .expressionAttributeValues(Map.of(":now", n(Instant.now().getEpochSecond())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    private static void putReceived(String key, long leaseUntil) {
        dynamoDb.putItem(put -> put.tableName(EVENTS_TABLE).item(Map.of(
                EventAttributes.PK, s(key),
                EventAttributes.STATUS, s("RECEIVED"),
                EventAttributes.LEASE_UNTIL, n(leaseUntil),
                EventAttributes.EXPIRES_AT, n(Instant.now().plusSeconds(3600).getEpochSecond()))));
    }

    private static void takeOver(String key, long now, long newLease) {
        dynamoDb.updateItem(update -> update.tableName(EVENTS_TABLE).key(keyOf(key))
                .updateExpression("SET leaseUntil = :lease")
                .conditionExpression(LedgerConditions.LEASE_TAKEOVER)
                .expressionAttributeNames(Map.of("#status", EventAttributes.STATUS))
                .expressionAttributeValues(Map.of(":received", s("RECEIVED"), ":now", n(now), ":lease", n(newLease))));
    }

    private static Map<String, AttributeValue> read(String key) {
        return read(EVENTS_TABLE, key);
    }

    private static Map<String, AttributeValue> read(String table, String key) {
        return dynamoDb.getItem(get -> get.tableName(table).key(keyOf(key)).consistentRead(true)).item();
    }

    private static Map<String, AttributeValue> keyOf(String key) {
        return Map.of(EventAttributes.PK, s(key));
    }

    private static String newKey() {
        return "contract#stripe#evt_" + UUID.randomUUID();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
