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
import dev.ledgerhook.outcomes.PrintedLines;

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
                AppliedChange change = adapter.apply(new CommandContext(tenant, "stripe", "evt_" + i, 0), commands.get(i));
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

        AppliedChange change = adapter.apply(new CommandContext(tenant, "stripe", "evt_c", 0), customer("cus_lost", 1, "Grace Hopper"));

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
                () -> noRetries.apply(new CommandContext(tenant, "stripe", "evt_crash", 0), customer));
        assertTrue(lost.isTransient(), "a lost answer is retried later, not dead-lettered");
        AppliedChange redelivered = rig.adapter().apply(new CommandContext(tenant, "stripe", "evt_crash", 0), customer);

        assertEquals(Outcome.CREATED, redelivered.outcome());
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt());
    }

    @Test
    void aStaleSyncTokenIsReReadAndTheUpdateRetried() throws Exception {
        adapter.apply(new CommandContext(tenant, "stripe", "evt_st1", 0), customerWithEmail("cus_stale", 1, "old@example.com"));
        sim("PUT", "/sim/faults/" + realm, "{\"staleNext\":2}");

        AppliedChange change = adapter.apply(new CommandContext(tenant, "stripe", "evt_st2", 0),
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
        AppliedChange created = adapter.apply(new CommandContext(tenant, "stripe", "evt_created", 0), first);
        // the map row is lost (the worker crashed before writing it), then a later event arrives
        rig.dynamoDb.deleteItem(delete -> delete.tableName(rig.resources.externalIdsTable()).key(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(tenant + "#Customer#cus_twice"))));

        AppliedChange later = adapter.apply(new CommandContext(tenant, "stripe", "evt_updated", 0), customer("cus_twice", 2, "Katherine Johnson"));

        assertEquals(created.accountingId(), later.accountingId(), "the 6240 conflict adopts our own customer");
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt());
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() throws Exception {
        adapter.apply(new CommandContext(tenant, "stripe", "evt_v1", 0), customerWithEmail("cus_order", 100, "a@example.com"));
        adapter.apply(new CommandContext(tenant, "stripe", "evt_v3", 0), customerWithEmail("cus_order", 300, "c@example.com"));

        AppliedChange stale = adapter.apply(new CommandContext(tenant, "stripe", "evt_v2", 0),
                customerWithEmail("cus_order", 200, "b@example.com"));

        assertEquals(Outcome.SKIPPED_OLDER, stale.outcome());
        ObjectNode entity = adapter.read(tenant, EntityType.CUSTOMER, stale.accountingId());
        assertEquals("c@example.com", entity.path("PrimaryEmailAddr").path("Address").asText());
    }

    @Test
    void concurrentUpdatesOfOneEntityInAnyOrderLeaveTheNewestVersion() throws Exception {
        AppliedChange created = adapter.apply(new CommandContext(tenant, "stripe", "evt_s0", 0), customerWithEmail("cus_sync", 1, "0@example.com"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<AppliedChange>> updates = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            int version = i;
            QuickBooksAdapter container = rig.adapter();
            updates.add(pool.submit(() -> untilNotTransient(() -> container.apply(new CommandContext(tenant, "stripe", "evt_s" + version, 0),
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
        CommandContext newer = new CommandContext(tenant, "stripe", "evt_race_3", 0);
        ExternalId row = rig.map.reserve(tenant, EntityType.CUSTOMER, "cus_race", QuickBooksIds.requestId(newer, EntityType.CUSTOMER));
        assertEquals(ExternalIdMap.Claim.CLAIMED, rig.map.claimVersion(row, new ExternalIdMap.Order(300, 0), "holder-3",
                System.currentTimeMillis(), 90_000));

        AppliedChange older = adapter.apply(new CommandContext(tenant, "stripe", "evt_race_2", 0), customerWithEmail("cus_race", 200, "2@example.com"));

        assertEquals(Outcome.SKIPPED_OLDER, older.outcome());
        assertEquals(0, stats().path("entities").path("Customer").path("creates").asInt(), "the older version posted nothing: " + stats());
        rig.map.releaseClaim(row, "holder-3"); // held still until here; its holder goes on as below
        AppliedChange created = adapter.apply(newer, customerWithEmail("cus_race", 300, "3@example.com"));
        assertEquals(Outcome.CREATED, created.outcome());
        ObjectNode entity = adapter.read(tenant, EntityType.CUSTOMER, created.accountingId());
        assertEquals("3@example.com", entity.path("PrimaryEmailAddr").path("Address").asText());
    }

    @Test
    void serverErrorsAreRetriedWithBackOffUntilTheCallSucceeds() throws Exception {
        sim("PUT", "/sim/faults/" + realm, "{\"failNext\":2,\"failNextStatus\":503}");
        AppliedChange change = adapter.apply(new CommandContext(tenant, "stripe", "evt_5xx", 0), customer("cus_5xx", 1, "Alan Turing"));
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
        PrintedLines<AppliedChange> printed = PrintedLines.during(() ->
                adapter.apply(new CommandContext(tenant, "stripe", "evt_429", 0), customer("cus_429", 1, "Edsger Dijkstra")));
        AppliedChange change = printed.value();

        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        lift.join();
        assertEquals(Outcome.CREATED, change.outcome());
        assertTrue(waitedMillis >= 1_000, "honoured Retry-After: waited " + waitedMillis + " ms");
        int throttled = stats().path("throttled").asInt();
        assertTrue(throttled >= 1);
        // Each 429 is an outcome line the dashboard counts per tenant.
        long lines = printed.text().lines()
                .filter(line -> line.contains("\"outcome\":\"quickbooks_throttled\""))
                .filter(line -> line.contains("\"tenant\":\"" + tenant + "\"") && line.contains("\"realm\":\"" + realm + "\""))
                .count();
        assertEquals(throttled, lines, printed.text());
    }

    @Test
    void aBurstThroughOneContainerStaysWithinTheRealmsConcurrencyLimit() throws Exception {
        AppliedChange created = adapter.apply(new CommandContext(tenant, "stripe", "evt_burst", 0), customer("cus_burst", 1, "Burst"));
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
                () -> adapter.apply(new CommandContext(tenant, "stripe", "evt_bad", 0), unbalanced));

        assertFalse(fault.isTransient());
        assertEquals("6000", fault.code());
        assertEquals(400, fault.httpStatus());
        assertFalse(fault.getMessage().isBlank());
    }

    @Test
    void aReferenceNotYetMappedIsTransient() {
        AccountingException missing = assertThrows(AccountingException.class, () -> adapter.apply(
                new CommandContext(tenant, "stripe", "evt_ref", 0), new Commands.UpsertInvoice("in_orphan", 1, "cus_unknown",
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

    // ---- issue 15: ties, claim holders, requestids --------------------------------------------

    /** Stripe versions are whole seconds: a created and an updated of one second must both count, in either order. */
    @Test
    void aCreatedAndAnUpdatedOfOneSecondEndOnTheUpdatedInEitherOrder() throws Exception {
        AccountingCommand created = new Commands.TieBroken(customerWithEmail("cus_tie", 1_000, "created@example.com"), 0);
        AccountingCommand updated = new Commands.TieBroken(customerWithEmail("cus_tie", 1_000, "updated@example.com"), 1);
        adapter.apply(new CommandContext(tenant, "stripe", "evt_created", 0), created);
        AppliedChange change = adapter.apply(new CommandContext(tenant, "stripe", "evt_updated", 0), updated);
        assertEquals(Outcome.UPDATED, change.outcome(), "the update of the same second was applied");
        assertEquals("updated@example.com", email(change.accountingId()));

        AccountingCommand late = new Commands.TieBroken(customerWithEmail("cus_tie2", 1_000, "created@example.com"), 0);
        AccountingCommand early = new Commands.TieBroken(customerWithEmail("cus_tie2", 1_000, "updated@example.com"), 1);
        AppliedChange first = adapter.apply(new CommandContext(tenant, "stripe", "evt_u2", 0), early);
        AppliedChange second = adapter.apply(new CommandContext(tenant, "stripe", "evt_c2", 0), late);
        assertEquals(Outcome.SKIPPED_OLDER, second.outcome(), "the created delivered after its updated stands down");
        assertEquals("updated@example.com", email(first.accountingId()));
    }

    /** Same version, same tie-break, other content: the later one is applied (a tie never drops an effect). */
    @Test
    void aTrueTieIsDecidedByContentNotDropped() throws Exception {
        adapter.apply(new CommandContext(tenant, "stripe", "evt_t1", 0), customerWithEmail("cus_true_tie", 5, "one@example.com"));
        AppliedChange change = adapter.apply(new CommandContext(tenant, "stripe", "evt_t2", 0),
                customerWithEmail("cus_true_tie", 5, "two@example.com"));
        assertEquals(Outcome.UPDATED, change.outcome());
        assertEquals("two@example.com", email(change.accountingId()));
        AppliedChange again = adapter.apply(new CommandContext(tenant, "stripe", "evt_t2", 0),
                customerWithEmail("cus_true_tie", 5, "two@example.com"));
        assertEquals(Outcome.UNCHANGED, again.outcome(), "a redelivery of the same event changes nothing");
    }

    /**
     * A claim belongs to one holder: a second copy of the same version waits instead of sharing it,
     * its release leaves the live holder's claim in place, and so an older version cannot slip in.
     */
    @Test
    void aClaimBelongsToOneHolderAndOnlyItsHolderReleasesIt() {
        ExternalId row = rig.map.reserve(tenant, EntityType.CUSTOMER, "cus_holder", "lh-holder");
        long now = System.currentTimeMillis();
        ExternalIdMap.Order v3 = new ExternalIdMap.Order(3, 0);
        assertEquals(ExternalIdMap.Claim.CLAIMED, rig.map.claimVersion(row, v3, "first-copy", now, 90_000));
        assertEquals(ExternalIdMap.Claim.BUSY, rig.map.claimVersion(row, v3, "second-copy", now, 90_000),
                "a second copy of the same version does not share the first one's claim");
        rig.map.releaseClaim(row, "second-copy");
        assertEquals(ExternalIdMap.Claim.SUPERSEDED, rig.map.claimVersion(row, new ExternalIdMap.Order(2, 0), "older", now, 90_000),
                "the failing copy's release did not free the claim the first copy still holds");
        assertEquals(ExternalIdMap.Claim.CLAIMED, rig.map.renewClaim(row, v3, "first-copy", now, 90_000));
        assertEquals(ExternalIdMap.Claim.BUSY, rig.map.renewClaim(row, v3, "second-copy", now, 90_000),
                "only the holder renews");
    }

    /**
     * A holder whose lease ran out while a newer version claimed and applied must not re-post its
     * older state on the next SyncToken retry: every retry re-checks the claim.
     */
    @Test
    void aRetryAfterAStaleSyncTokenRechecksTheClaimAndStandsDownWhenANewerVersionWasApplied() throws Exception {
        AppliedChange created = adapter.apply(new CommandContext(tenant, "stripe", "evt_v1", 0),
                customerWithEmail("cus_recheck", 1, "v1@example.com"));
        ExternalId row = rig.map.find(tenant, EntityType.CUSTOMER, "cus_recheck").orElseThrow();
        long now = System.currentTimeMillis();
        rig.map.claimVersion(row, new ExternalIdMap.Order(2, 0), "slow-v2", now - 200_000, 90_000); // its lease ran out
        adapter.apply(new CommandContext(tenant, "stripe", "evt_v3", 0), customerWithEmail("cus_recheck", 3, "v3@example.com"));
        assertEquals(ExternalIdMap.Claim.SUPERSEDED, rig.map.renewClaim(row, new ExternalIdMap.Order(2, 0), "slow-v2", now, 90_000),
                "v2's next retry learns that v3 was applied and stands down");
        assertEquals("v3@example.com", email(created.accountingId()));
    }

    /** QuickBooks answers a repeated requestid with its first answer, a 5010 too: a retry on a fresh SyncToken is a new request. */
    @Test
    void anUpdateRetriedAfterAStaleSyncTokenIsANewRequestAndSucceeds() throws Exception {
        AppliedChange created = adapter.apply(new CommandContext(tenant, "stripe", "evt_s1", 0),
                customerWithEmail("cus_stale", 1, "before@example.com"));
        sim("PUT", "/sim/faults/" + realm, "{\"staleNext\":1}");

        AppliedChange updated = adapter.apply(new CommandContext(tenant, "stripe", "evt_s2", 0),
                customerWithEmail("cus_stale", 2, "after@example.com"));

        assertEquals(Outcome.UPDATED, updated.outcome());
        assertEquals("after@example.com", email(created.accountingId()));
    }

    /** A create QuickBooks refused (6000, closed books) is applied on replay once the operator reopened the period. */
    @Test
    void aRefusedCreateIsAppliedOnReplayAfterTheCauseIsFixed() throws Exception {
        sim("PUT", "/sim/faults/" + realm, "{\"rejectNext\":1}");
        CommandContext context = new CommandContext(tenant, "stripe", "evt_closed", 0);
        AccountingCommand receipt = new Commands.UpsertSalesReceipt("ch_closed", 1, Optional.empty(),
                List.of(new SalesLine("Charge", new BigDecimal("12.00"), Commands.DEFAULT_ITEM_ID)), "stripe");

        AccountingException refused = assertThrows(AccountingException.class, () -> adapter.apply(context, receipt));
        assertEquals("6000", refused.code());
        assertFalse(refused.isTransient());

        AppliedChange replayed = adapter.apply(context, receipt); // the DLQ replay, after the fix
        assertEquals(Outcome.CREATED, replayed.outcome());
        assertEquals(1, stats().path("entities").path("SalesReceipt").path("creates").asInt());
    }

    /** QuickBooks forgets requestids; a payment or journal entry replayed after that is adopted by its marker, not made twice. */
    @Test
    void paymentsAndJournalEntriesAreNotDoubledWhenQuickBooksForgotTheRequestId() throws Exception {
        QuickBooksAdapter noRetries = rig.adapter(new QuickBooksRig.Config(rig.simulator.baseUrl(), 0));
        adapter.apply(new CommandContext(tenant, "stripe", "evt_pc", 0), customer("cus_pay", 1, "Edsger Dijkstra"));
        adapter.apply(new CommandContext(tenant, "stripe", "evt_pi", 0), new Commands.UpsertInvoice("in_pay", 1, "cus_pay",
                List.of(new SalesLine("Plan", new BigDecimal("30.00"), Commands.DEFAULT_ITEM_ID)), "stripe"));
        List<AccountingCommand> commands = List.of(
                new Commands.UpsertPayment("payment-of-in_pay", 1, "cus_pay", "in_pay", new BigDecimal("30.00")),
                new Commands.UpsertJournalEntry("je_fee", 1, List.of(
                        new JournalLine("Debit", new BigDecimal("0.90"), "1", "fee"),
                        new JournalLine("Credit", new BigDecimal("0.90"), "2", "fee")), "stripe fee"));
        for (AccountingCommand command : commands) {
            CommandContext context = new CommandContext(tenant, "stripe", "evt_" + command.sourceObjectId(), 0);
            sim("PUT", "/sim/faults/" + realm, "{\"dropResponseNext\":1}");
            assertThrows(AccountingException.class, () -> noRetries.apply(context, command), "the answer was lost");
            sim("POST", "/sim/realms/" + realm + "/forget-requestids", "{}");

            assertEquals(Outcome.CREATED, rig.adapter().apply(context, command).outcome(), command.describe());
            String type = command.entityType().apiName();
            assertEquals(1, stats().path("entities").path(type).path("creates").asInt(), type + " made once: " + stats());
        }
    }

    /** The 6240 adoption query escapes a backslash as QuickBooks' query language requires. */
    @Test
    void aNameWithABackslashAndAQuoteIsFoundAgainAndAdopted() throws Exception {
        AccountingCommand customer = customer("cus_slash", 1, "Back\\slash's Bakery");
        AppliedChange first = adapter.apply(new CommandContext(tenant, "stripe", "evt_bs1", 0), customer);
        rig.dynamoDb.deleteItem(delete -> delete.tableName("ledgerhook-external-ids")
                .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        ExternalId.key(tenant, EntityType.CUSTOMER, "cus_slash"))))); // the map write was lost

        AppliedChange again = adapter.apply(new CommandContext(tenant, "stripe", "evt_bs2", 0), customer);

        assertEquals(first.accountingId(), again.accountingId(), "the customer carrying our marker was adopted");
        assertEquals(1, stats().path("entities").path("Customer").path("creates").asInt(), "no second customer: " + stats());
    }

    /** Two sources of one tenant may send the same event key (hashed keys, or two Stripe accounts): different entities. */
    @Test
    void theSameEventKeyInTwoSourcesCreatesTwoEntities() throws Exception {
        AppliedChange us = adapter.apply(new CommandContext(tenant, "stripe", "evt_shared", 0), customer("cus_us", 1, "US customer"));
        AppliedChange eu = adapter.apply(new CommandContext(tenant, "stripe-eu", "evt_shared", 0), customer("cus_eu", 1, "EU customer"));
        assertFalse(us.accountingId().equals(eu.accountingId()), "the second source's customer got its own entity");
        assertEquals(2, stats().path("entities").path("Customer").path("creates").asInt());
    }

    private String email(String accountingId) throws Exception {
        return adapter.read(tenant, EntityType.CUSTOMER, accountingId).path("PrimaryEmailAddr").path("Address").asText();
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
