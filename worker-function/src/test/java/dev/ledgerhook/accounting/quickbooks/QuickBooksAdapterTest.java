package dev.ledgerhook.accounting.quickbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ledgerhook.accounting.AccountingCommand;
import dev.ledgerhook.accounting.AccountingException;
import dev.ledgerhook.accounting.AppliedChange;
import dev.ledgerhook.accounting.AppliedChange.Outcome;
import dev.ledgerhook.accounting.CommandContext;
import dev.ledgerhook.accounting.Commands;
import dev.ledgerhook.accounting.Commands.JournalLine;
import dev.ledgerhook.accounting.Commands.SalesLine;
import dev.ledgerhook.accounting.EntityType;
import dev.ledgerhook.accounting.ExternalId;
import dev.ledgerhook.accounting.ExternalIdMap;

/** The adapter against the QuickBooks simulator over real HTTP, with the external-id map in moto's DynamoDB. */
class QuickBooksAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static QuickBooksRig rig;

    private String tenant;
    private String realm;
    private QuickBooksAdapter adapter;

    @BeforeAll
    static void startRig() {
        rig = new QuickBooksRig();
    }

    @AfterAll
    static void stopRig() {
        rig.close();
    }

    @BeforeEach
    void newCompany() {
        String[] connected = rig.newTenant();
        tenant = connected[0];
        realm = connected[1];
        adapter = rig.adapter();
    }

    @Test
    void everyUpsertCreatesOneEntityHoweverOftenItIsRepeated() throws Exception {
        List<AccountingCommand> commands = List.of(
                customer("cus_1", 1, "Ada Lovelace"),
                new Commands.UpsertSalesReceipt("ch_3NkXq2eZvKYlo2C01a2b3c4d", 1, Optional.of("cus_1"),
                        List.of(new SalesLine("Charge ch_3NkXq2", new BigDecimal("42.50"), Commands.DEFAULT_ITEM_ID)), "stripe"),
                new Commands.UpsertRefundReceipt("re_1", 1, Optional.of("cus_1"),
                        List.of(new SalesLine("Refund", new BigDecimal("10.00"), Commands.DEFAULT_ITEM_ID)), "stripe"),
                new Commands.UpsertInvoice("in_1", 1, "cus_1",
                        List.of(new SalesLine("Plan", new BigDecimal("99.00"), Commands.DEFAULT_ITEM_ID)), "stripe"),
                new Commands.UpsertPayment("py_in_1", 1, "cus_1", "in_1", new BigDecimal("99.00")),
                new Commands.UpsertJournalEntry("je_1", 1, List.of(
                        new JournalLine("Debit", new BigDecimal("5.00"), "1", "fee"),
                        new JournalLine("Credit", new BigDecimal("5.00"), "2", "fee")), "stripe fees"));
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < commands.size(); i++) {
                AppliedChange change = adapter.apply(new CommandContext(tenant, "evt_" + i, 0), commands.get(i));
                assertEquals(round == 0 ? Outcome.CREATED : Outcome.UNCHANGED, change.outcome(), commands.get(i).describe());
            }
        }
        JsonNode entities = stats().path("entities");
        for (String type : List.of("Customer", "SalesReceipt", "RefundReceipt", "Invoice", "Payment", "JournalEntry")) {
            assertEquals(1, entities.path(type).path("creates").asInt(), type + " created once");
            assertEquals(0, entities.path(type).path("updates").asInt(), type + " never rewritten");
        }
    }

    @Test
    void aCreateWhoseResponseWasLostIsRetriedIntoTheSameEntity() throws Exception {
        sim("PUT", "/sim/faults/" + realm, "{\"dropResponseNext\":1}");

        AppliedChange change = adapter.apply(new CommandContext(tenant, "evt_c", 0), customer("cus_lost", 1, "Grace Hopper"));

        assertEquals(Outcome.CREATED, change.outcome());
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt());
        assertEquals(1, stats().path("entities").path("Customer").path("duplicateRequestIds").asInt(),
                "the in-process retry reused the requestid and QuickBooks answered with the first entity");
    }

    @Test
    void aWorkerThatDiesAfterTheCreateLeavesOneEntityWhenTheEventIsRedelivered() throws Exception {
        QuickBooksAdapter noRetries = rig.adapter(new QuickBooksRig.Config(rig.simulator.baseUrl(), 0));
        sim("PUT", "/sim/faults/" + realm, "{\"dropResponseNext\":1}");
        AccountingCommand customer = customer("cus_crash", 1, "Barbara Liskov");

        AccountingException lost = assertThrows(AccountingException.class,
                () -> noRetries.apply(new CommandContext(tenant, "evt_crash", 0), customer));
        assertTrue(lost.isTransient(), "a lost answer is retried later, not dead-lettered");
        AppliedChange redelivered = rig.adapter().apply(new CommandContext(tenant, "evt_crash", 0), customer);

        assertEquals(Outcome.CREATED, redelivered.outcome());
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt());
    }

    @Test
    void aStaleSyncTokenIsReReadAndTheUpdateRetried() throws Exception {
        adapter.apply(new CommandContext(tenant, "evt_st1", 0), customerWithEmail("cus_stale", 1, "old@example.com"));
        sim("PUT", "/sim/faults/" + realm, "{\"staleNext\":2}");

        AppliedChange change = adapter.apply(new CommandContext(tenant, "evt_st2", 0),
                customerWithEmail("cus_stale", 2, "new@example.com"));

        assertEquals(Outcome.UPDATED, change.outcome());
        assertEquals("new@example.com", adapter.read(tenant, EntityType.CUSTOMER, change.accountingId())
                .path("PrimaryEmailAddr").path("Address").asText());
        assertTrue(sim("GET", "/sim/faults/" + realm, null).contains("\"staleNext\":0"),
                "both injected 5010s were answered and recovered from");
    }

    @Test
    void aSecondEventForAnObjectWhoseFirstCreateLostItsMapWriteStillMakesOneEntity() throws Exception {
        AccountingCommand first = customer("cus_twice", 1, "Katherine Johnson");
        AppliedChange created = adapter.apply(new CommandContext(tenant, "evt_created", 0), first);
        // the map row is lost (the worker crashed before writing it), then a later event arrives
        rig.dynamoDb.deleteItem(delete -> delete.tableName(rig.resources.externalIdsTable()).key(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(tenant + "#Customer#cus_twice"))));

        AppliedChange later = adapter.apply(new CommandContext(tenant, "evt_updated", 0), customer("cus_twice", 2, "Katherine Johnson"));

        assertEquals(created.accountingId(), later.accountingId(), "the 6240 conflict adopts our own customer");
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt());
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() throws Exception {
        adapter.apply(new CommandContext(tenant, "evt_v1", 0), customerWithEmail("cus_order", 100, "a@example.com"));
        adapter.apply(new CommandContext(tenant, "evt_v3", 0), customerWithEmail("cus_order", 300, "c@example.com"));

        AppliedChange stale = adapter.apply(new CommandContext(tenant, "evt_v2", 0),
                customerWithEmail("cus_order", 200, "b@example.com"));

        assertEquals(Outcome.SKIPPED_OLDER, stale.outcome());
        ObjectNode entity = adapter.read(tenant, EntityType.CUSTOMER, stale.accountingId());
        assertEquals("c@example.com", entity.path("PrimaryEmailAddr").path("Address").asText());
    }

    @Test
    void concurrentUpdatesOfOneEntityInAnyOrderLeaveTheNewestVersion() throws Exception {
        AppliedChange created = adapter.apply(new CommandContext(tenant, "evt_s0", 0), customerWithEmail("cus_sync", 1, "0@example.com"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<AppliedChange>> updates = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            int version = i;
            QuickBooksAdapter container = rig.adapter();
            updates.add(pool.submit(() -> untilNotTransient(() -> container.apply(new CommandContext(tenant, "evt_s" + version, 0),
                    customerWithEmail("cus_sync", version, version + "@example.com")))));
        }
        for (Future<AppliedChange> update : updates) {
            update.get();
        }
        pool.shutdown();

        ObjectNode entity = adapter.read(tenant, EntityType.CUSTOMER, created.accountingId());
        assertEquals("8@example.com", entity.path("PrimaryEmailAddr").path("Address").asText(), "the newest version wins");
    }

    /**
     * The storm's interleaving, held still: version 3 of an object not created yet holds the
     * entity (its create sent, its map write not made yet) when version 2 arrives. Version 2
     * must stand down without posting anything, and version 3 then completes as the entity.
     */
    @Test
    void anOlderVersionStandsDownWhileANewerOneIsCreatingTheEntity() throws Exception {
        CommandContext newer = new CommandContext(tenant, "evt_race_3", 0);
        ExternalId row = rig.map.reserve(tenant, EntityType.CUSTOMER, "cus_race", QuickBooksIds.requestId(newer, EntityType.CUSTOMER));
        assertEquals(ExternalIdMap.Claim.CLAIMED, rig.map.claimVersion(row, 300, System.currentTimeMillis(), 90_000));

        AppliedChange older = adapter.apply(new CommandContext(tenant, "evt_race_2", 0), customerWithEmail("cus_race", 200, "2@example.com"));

        assertEquals(Outcome.SKIPPED_OLDER, older.outcome());
        assertEquals(0, stats().path("entities").path("Customer").path("creates").asInt(), "the older version posted nothing: " + stats());
        AppliedChange created = adapter.apply(newer, customerWithEmail("cus_race", 300, "3@example.com"));
        assertEquals(Outcome.CREATED, created.outcome());
        ObjectNode entity = adapter.read(tenant, EntityType.CUSTOMER, created.accountingId());
        assertEquals("3@example.com", entity.path("PrimaryEmailAddr").path("Address").asText());
    }

    @Test
    void serverErrorsAreRetriedWithBackOffUntilTheCallSucceeds() throws Exception {
        sim("PUT", "/sim/faults/" + realm, "{\"failNext\":2,\"failNextStatus\":503}");
        AppliedChange change = adapter.apply(new CommandContext(tenant, "evt_5xx", 0), customer("cus_5xx", 1, "Alan Turing"));
        assertEquals(Outcome.CREATED, change.outcome());
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt());
    }

    @Test
    void aThrottledCallWaitsForRetryAfterAndSucceeds() throws Exception {
        sim("PUT", "/sim/faults/" + realm, "{\"throttleRate\":1.0}");
        Thread lift = new Thread(() -> {
            sleep(1_200);
            sim("DELETE", "/sim/faults/" + realm, null);
        });
        lift.start();
        long started = System.nanoTime();

        AppliedChange change = adapter.apply(new CommandContext(tenant, "evt_429", 0), customer("cus_429", 1, "Edsger Dijkstra"));

        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        lift.join();
        assertEquals(Outcome.CREATED, change.outcome());
        assertTrue(waitedMillis >= 1_000, "honoured Retry-After: waited " + waitedMillis + " ms");
        assertTrue(stats().path("throttled").asInt() >= 1);
    }

    @Test
    void aBurstThroughOneContainerStaysWithinTheRealmsConcurrencyLimit() throws Exception {
        AppliedChange created = adapter.apply(new CommandContext(tenant, "evt_burst", 0), customer("cus_burst", 1, "Burst"));
        sim("PUT", "/sim/faults/" + realm, "{\"latencyMs\":50}");
        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<Future<ObjectNode>> reads = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            reads.add(pool.submit(() -> adapter.read(tenant, EntityType.CUSTOMER, created.accountingId())));
        }
        for (Future<ObjectNode> read : reads) {
            assertEquals("Burst", read.get().path("DisplayName").asText());
        }
        pool.shutdown();
        assertEquals(0, stats().path("throttled").asInt(), "40 threads, never more than 10 in flight: no 429");
    }

    @Test
    void aValidationFaultIsPermanentAndKeepsQuickBooksCodeAndMessage() {
        AccountingCommand unbalanced = new Commands.UpsertJournalEntry("je_bad", 1, List.of(
                new JournalLine("Debit", new BigDecimal("5.00"), "1", "x"),
                new JournalLine("Credit", new BigDecimal("4.00"), "2", "x")), "unbalanced");

        AccountingException fault = assertThrows(AccountingException.class,
                () -> adapter.apply(new CommandContext(tenant, "evt_bad", 0), unbalanced));

        assertFalse(fault.isTransient());
        assertEquals("6000", fault.code());
        assertEquals(400, fault.httpStatus());
        assertFalse(fault.getMessage().isBlank());
    }

    @Test
    void aReferenceNotYetMappedIsTransient() {
        AccountingException missing = assertThrows(AccountingException.class, () -> adapter.apply(
                new CommandContext(tenant, "evt_ref", 0), new Commands.UpsertInvoice("in_orphan", 1, "cus_unknown",
                        List.of(new SalesLine("x", BigDecimal.ONE, Commands.DEFAULT_ITEM_ID)), "")));
        assertTrue(missing.isTransient());
        assertEquals("LH-REFERENCE", missing.code());
    }

    @Test
    void concurrentTokenRefreshesAcrossContainersKeepTheNewestRefreshToken() throws Exception {
        sim("PUT", "/sim/realms/" + realm + "/limits", "{\"accessTokenTtlSeconds\":1}");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String>> tokens = new ArrayList<>();
        for (int container = 0; container < 6; container++) {
            AccessTokens containerTokens = rig.tokens();
            tokens.add(pool.submit(() -> {
                String last = null;
                for (int call = 0; call < 5; call++) {
                    last = containerTokens.accessToken(tenant);
                }
                return last;
            }));
        }
        for (Future<String> token : tokens) {
            assertFalse(token.get().isBlank());
        }
        pool.shutdown();

        String stored = rig.connections.find(tenant).orElseThrow().refreshToken();
        HttpResponse<String> refresh = HTTP.send(HttpRequest.newBuilder(URI.create(rig.simulator.baseUrl() + "/oauth2/v1/tokens/bearer"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (QuickBooksRig.CLIENT_ID + ":" + QuickBooksRig.CLIENT_SECRET).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=" + stored)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, refresh.statusCode(), "the stored refresh token is the live one: " + refresh.body());
    }

    /** What SQS redelivery does for a transient failure, in short: try again a little later. */
    private static AppliedChange untilNotTransient(java.util.concurrent.Callable<AppliedChange> apply) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return apply.call();
            } catch (AccountingException e) {
                if (!e.isTransient() || attempt > 200) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static AccountingCommand customer(String id, long version, String name) {
        return new Commands.UpsertCustomer(id, version, name, Optional.empty());
    }

    private static AccountingCommand customerWithEmail(String id, long version, String email) {
        return new Commands.UpsertCustomer(id, version, "Customer " + id, Optional.of(email));
    }

    private JsonNode stats() throws Exception {
        return JSON.readTree(sim("GET", "/sim/stats/" + realm, null));
    }

    private static String sim(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rig.simulator.baseUrl() + path))
                    .header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new AssertionError(method + " " + path + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
