package dev.ledgerhook.accounting.quickbooks;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ledgerhook.accounting.AccountingCommand;
import dev.ledgerhook.accounting.AccountingException;
import dev.ledgerhook.accounting.AccountingPort;
import dev.ledgerhook.accounting.AppliedChange;
import dev.ledgerhook.accounting.AppliedChange.Outcome;
import dev.ledgerhook.accounting.CommandContext;
import dev.ledgerhook.accounting.EntityType;
import dev.ledgerhook.accounting.ExternalId;
import dev.ledgerhook.accounting.ExternalIdMap;
import dev.ledgerhook.accounting.SourceRef;
import dev.ledgerhook.connections.QuickBooksConnection;
import dev.ledgerhook.connections.QuickBooksConnections;

/**
 * QuickBooks Online (API v3) behind {@link AccountingPort}. Every upsert is safe to repeat:
 * <ol>
 * <li>The external-id map row is reserved with the create's requestid before anything is sent.
 * Every later attempt for the same source object, after a crash or from a racing worker, sends
 * that same requestid, and QuickBooks answers with the first entity instead of making another.</li>
 * <li>Once the entity exists, an update claims its event version in the map first, one version
 * per entity at a time: an older event stands down, and a newer one waits (transient) while an
 * older one is in flight, so QuickBooks never sees older after newer (invariant 9). It then reads the entity, skips when the entity already reflects the
 * command, and otherwise sends a sparse update with the SyncToken just read. A stale SyncToken
 * (5010) re-reads and retries, a bounded number of times.</li>
 * <li>Name and number conflicts resolve deterministically: a duplicate DisplayName (6240) or
 * DocNumber (6140) held by an entity carrying this source object's marker is adopted (it is ours,
 * created by an attempt whose map write was lost); held by anything else, the create is retried
 * with a deterministic variant (DisplayName + " (source id)", DocNumber with a "-n" suffix).</li>
 * </ol>
 */
@ApplicationScoped
public class QuickBooksAdapter implements AccountingPort {

    private static final int NAME_VARIANTS = 3;

    /** How long one update holds its entity; longer than any one worker invocation (60 s). */
    private static final java.time.Duration VERSION_LEASE = java.time.Duration.ofSeconds(90);

    private final QuickBooksHttp http;
    private final QuickBooksConnections connections;
    private final ExternalIdMap map;
    private final QuickBooksConfig config;

    public QuickBooksAdapter(QuickBooksHttp http, QuickBooksConnections connections, ExternalIdMap map,
                             QuickBooksConfig config) {
        this.http = http;
        this.connections = connections;
        this.map = map;
        this.config = config;
    }

    @Override
    public AppliedChange apply(CommandContext context, AccountingCommand command) throws AccountingException {
        QuickBooksConnection connection = connection(context.tenant());
        ExternalId row = map.reserve(context.tenant(), command.entityType(), command.sourceObjectId(),
                QuickBooksIds.requestId(context, command.entityType()));
        if (row.isNewerThan(command.version(), command.tieBreak())) {
            return change(command, row.accountingId().orElse(""), Outcome.SKIPPED_OLDER);
        }
        // a tie (same version and tie-break) goes on: the entity's content decides, never the version alone
        ObjectNode desired = desired(connection, command);
        String owner = UUID.randomUUID().toString();
        if (!row.created()) {
            return underClaim(row, command, owner, "", () -> create(connection, row, command, desired, owner));
        }
        return update(connection, row, command, desired, owner);
    }

    @Override
    public ObjectNode read(String tenant, EntityType type, String accountingId) throws AccountingException {
        return read(connection(tenant), type, accountingId);
    }

    /**
     * The company is compared with the very connection the read then uses, so a tenant reconnected
     * to another company after the caller's own check is refused here instead of read from.
     */
    @Override
    public ObjectNode read(String tenant, String company, EntityType type, String accountingId) throws AccountingException {
        QuickBooksConnection connection = connection(tenant);
        if (!connection.realmId().equals(company)) {
            throw AccountingException.permanent("LH-OTHER-COMPANY",
                    "realm " + company + " is not the tenant's company " + connection.realmId());
        }
        return read(connection, type, accountingId);
    }

    private ObjectNode read(QuickBooksConnection connection, EntityType type, String accountingId) throws AccountingException {
        ObjectNode response = http.get(connection, type.apiName(), accountingId);
        return (ObjectNode) response.path(type.apiName());
    }

    private AppliedChange create(QuickBooksConnection connection, ExternalId row, AccountingCommand command,
                                 ObjectNode desired, String owner) throws AccountingException {
        Optional<JsonNode> madeBefore = madeByAnEarlierAttempt(connection, command, desired);
        if (madeBefore.isPresent()) {
            return afterCreate(connection, row, command, desired, madeBefore.get(), owner);
        }
        String requestId = QuickBooksIds.createRequestId(row.requestId(), row.generation());
        for (int variant = 0; variant <= NAME_VARIANTS; variant++) {
            ObjectNode body = desired.deepCopy();
            applyVariant(body, command, variant);
            try {
                JsonNode created = http.post(connection, command.entityType().apiName(), body,
                        variant == 0 ? requestId : requestId.substring(0, 47) + "-v" + variant)
                        .path(command.entityType().apiName());
                return afterCreate(connection, row, command, desired, created, owner);
            } catch (AccountingException conflict) {
                Optional<JsonNode> ours = adoptable(connection, command, body, conflict);
                if (ours.isPresent()) {
                    return afterCreate(connection, row, command, desired, ours.get(), owner);
                }
                if (!isNameConflict(conflict)) {
                    throw conflict;
                }
            }
        }
        throw AccountingException.permanent("LH-CONFLICT", command.describe() + ": every name or number variant is taken");
    }

    /**
     * The create answered with an entity; when it was made by a racing attempt with another
     * version's fields (same requestid, first body wins), bring it up to this command.
     */
    private AppliedChange afterCreate(QuickBooksConnection connection, ExternalId row, AccountingCommand command,
                                      ObjectNode desired, JsonNode entity, String owner) throws AccountingException {
        String id = entity.path("Id").asText();
        if (reflects(entity, desired, command)) {
            map.recordApplied(row, id, entity.path("SyncToken").asText(), order(command), owner);
            return change(command, id, Outcome.CREATED);
        }
        map.recordCreated(row, id, entity.path("SyncToken").asText());
        ExternalId created = new ExternalId(row.tenant(), row.type(), row.sourceObjectId(), row.requestId(),
                Optional.of(id), entity.path("SyncToken").asText(), row.lastVersion(), row.lastTieBreak(),
                row.generation());
        return updateClaimed(connection, created, command, desired, id, owner);
    }

    private AppliedChange update(QuickBooksConnection connection, ExternalId row, AccountingCommand command,
                                 ObjectNode desired, String owner) throws AccountingException {
        String id = row.accountingId().orElseThrow();
        return underClaim(row, command, owner, id, () -> updateClaimed(connection, row, command, desired, id, owner));
    }

    /** A step that runs while its command holds the entity's version claim. */
    private interface ClaimedStep {
        AppliedChange run() throws AccountingException;
    }

    /**
     * Runs {@code step} holding the entity's version claim, creates included. The race this
     * closes: two versions of an object not created yet both find the row without an entity and
     * both post the create (same requestid, so one entity, with the first body). Unclaimed, the
     * older one, answered with the newer one's entity, went on to update it with its older fields
     * before the newer one recorded its version (seen in the storm). Claimed, the older one
     * stands down or waits, as it does for an update.
     */
    private AppliedChange underClaim(ExternalId row, AccountingCommand command, String owner, String id,
                                     ClaimedStep step) throws AccountingException {
        ExternalIdMap.Claim claim = map.claimVersion(row, order(command), owner, System.currentTimeMillis(),
                VERSION_LEASE.toMillis());
        if (claim != ExternalIdMap.Claim.CLAIMED) {
            return standDown(command, id, claim);
        }
        try {
            return step.run();
        } catch (AccountingException refused) {
            if (!refused.isTransient() && refused.code().matches("\\d+")) {
                map.nextGeneration(row); // QuickBooks refused it: a replay after the fix must not get the cached refusal
            }
            map.releaseClaim(row, owner);
            throw refused;
        } catch (RuntimeException failed) {
            map.releaseClaim(row, owner);
            throw failed;
        }
    }

    private static AppliedChange standDown(AccountingCommand command, String id, ExternalIdMap.Claim claim)
            throws AccountingException {
        if (claim == ExternalIdMap.Claim.SUPERSEDED) {
            return change(command, id, Outcome.SKIPPED_OLDER);
        }
        throw AccountingException.transientFailure("LH-ENTITY-BUSY", command.describe()
                + ": another version of this entity is being applied; retry after it");
    }

    /**
     * Reads, compares, sends a sparse update; a stale SyncToken (5010) re-reads and tries again.
     * Every try after the first first renews the claim: the one race this closes is a lease that ran
     * out during a slow try while a newer version claimed and applied, after which re-posting this
     * older state would overwrite it.
     */
    private AppliedChange updateClaimed(QuickBooksConnection connection, ExternalId row, AccountingCommand command,
                                        ObjectNode desired, String id, String owner) throws AccountingException {
        String entity = command.entityType().apiName();
        for (int attempt = 0; attempt <= config.syncTokenRetries(); attempt++) {
            if (attempt > 0) {
                ExternalIdMap.Claim renewed = map.renewClaim(row, order(command), owner, System.currentTimeMillis(),
                        VERSION_LEASE.toMillis());
                if (renewed != ExternalIdMap.Claim.CLAIMED) {
                    return standDown(command, id, renewed);
                }
            }
            JsonNode current = http.get(connection, entity, id).path(entity);
            if (reflects(current, desired, command)) {
                map.recordApplied(row, id, current.path("SyncToken").asText(), order(command), owner);
                return change(command, id, Outcome.UNCHANGED);
            }
            ObjectNode sparse = desired.deepCopy();
            sparse.put("Id", id).put("SyncToken", current.path("SyncToken").asText()).put("sparse", true);
            if (command.entityType() == EntityType.CUSTOMER) {
                sparse.put("DisplayName", current.path("DisplayName").asText(sparse.path("DisplayName").asText()));
            }
            try {
                JsonNode updated = http.post(connection, entity, sparse, QuickBooksIds.updateRequestId(row.requestId(),
                        command.version(), command.tieBreak(), current.path("SyncToken").asText(), row.generation()))
                        .path(entity);
                map.recordApplied(row, id, updated.path("SyncToken").asText(), order(command), owner);
                return change(command, id, Outcome.UPDATED);
            } catch (AccountingException stale) {
                if (!QuickBooksFault.STALE_SYNC_TOKEN.equals(stale.code())) {
                    throw stale;
                }
            }
        }
        throw AccountingException.transientFailure(QuickBooksFault.STALE_SYNC_TOKEN,
                command.describe() + ": SyncToken still stale after " + config.syncTokenRetries() + " re-reads");
    }

    /** Looks up the accounting ids of the command's references; an unmapped one is transient (it may arrive later). */
    private ObjectNode desired(QuickBooksConnection connection, AccountingCommand command) throws AccountingException {
        Map<SourceRef, String> ids = new HashMap<>();
        for (SourceRef reference : command.references()) {
            Optional<String> id = map.find(connection.tenant(), reference.type(), reference.sourceObjectId())
                    .flatMap(ExternalId::accountingId);
            if (id.isEmpty()) {
                throw AccountingException.transientFailure("LH-REFERENCE", command.describe() + " needs "
                        + reference.type().apiName() + " " + reference.sourceObjectId() + ", not applied yet");
            }
            ids.put(reference, id.get());
        }
        ObjectNode fields = command.fields(ids);
        String marker = QuickBooksIds.marker(command.entityType(), command.sourceObjectId());
        String noteField = command.entityType() == EntityType.CUSTOMER ? "Notes" : "PrivateNote";
        String note = fields.path(noteField).asText("");
        fields.put(noteField, note.isEmpty() ? marker : note + " " + marker);
        return fields;
    }

    private static void applyVariant(ObjectNode body, AccountingCommand command, int variant) {
        if (command.entityType().hasDocNumber()) {
            body.put("DocNumber", QuickBooksIds.docNumber(command.entityType(), command.sourceObjectId(), variant));
        } else if (command.entityType() == EntityType.CUSTOMER && variant > 0) {
            String suffix = variant == 1 ? " (" + command.sourceObjectId() + ")"
                    : " (" + command.sourceObjectId() + "-" + variant + ")";
            String name = body.path("DisplayName").asText();
            body.put("DisplayName", name.substring(0, Math.min(name.length(), 100 - suffix.length())) + suffix);
        }
    }

    private static boolean isNameConflict(AccountingException e) {
        return QuickBooksFault.DUPLICATE_NAME.equals(e.code()) || QuickBooksFault.DUPLICATE_DOC_NUMBER.equals(e.code());
    }

    /** On a name or number conflict, the entity holding it, if it carries this source object's marker. */
    private Optional<JsonNode> adoptable(QuickBooksConnection connection, AccountingCommand command, ObjectNode body,
                                         AccountingException conflict) throws AccountingException {
        if (!isNameConflict(conflict)) {
            return Optional.empty();
        }
        String entity = command.entityType().apiName();
        String field = command.entityType() == EntityType.CUSTOMER ? "DisplayName" : "DocNumber";
        String value = quoted(body.path(field).asText());
        JsonNode found = http.query(connection, "SELECT * FROM " + entity + " WHERE " + field + " = " + value)
                .path("QueryResponse").path(entity).path(0);
        String marker = QuickBooksIds.marker(command.entityType(), command.sourceObjectId());
        String note = found.path(command.entityType() == EntityType.CUSTOMER ? "Notes" : "PrivateNote").asText("");
        return note.contains(marker) ? Optional.of(found) : Optional.empty();
    }

    /** Whether every field the command sets already has that value in the entity (numbers by value). */
    static boolean reflects(JsonNode current, JsonNode desired, AccountingCommand command) {
        if (current.isMissingNode()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (command.entityType() == EntityType.CUSTOMER && field.getKey().equals("DisplayName")) {
                continue; // may carry a conflict variant; never changed by an update
            }
            if (!contains(current.path(field.getKey()), field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(JsonNode actual, JsonNode expected) {
        if (expected.isNumber()) {
            return actual.isNumber() && actual.decimalValue().compareTo(expected.decimalValue()) == 0
                    || actual.isTextual() && sameNumber(actual.asText(), expected.decimalValue());
        }
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!contains(actual.path(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray()) {
                return false;
            }
            JsonNode lines = withoutSubtotals(actual);
            if (lines.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!contains(lines.get(i), expected.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected.asText().equals(actual.asText(null));
    }

    /** QuickBooks appends a SubTotalLine to sales documents; it is not one of ours. */
    private static JsonNode withoutSubtotals(JsonNode lines) {
        com.fasterxml.jackson.databind.node.ArrayNode kept = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (JsonNode line : lines) {
            if (!"SubTotalLineDetail".equals(line.path("DetailType").asText())) {
                kept.add(line);
            }
        }
        return kept;
    }

    private static boolean sameNumber(String text, BigDecimal expected) {
        try {
            return new BigDecimal(text).compareTo(expected) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * QuickBooks forgets requestids after a while, and a Payment or a JournalEntry has no unique
     * name or number to be refused on: a create repeated after that (a DLQ replay days later of an
     * attempt whose answer was lost) would make a second one. So before creating either, the
     * candidates are looked up (a payment by its customer, a journal entry by its DocNumber) and
     * one carrying this source object's marker is adopted.
     */
    private Optional<JsonNode> madeByAnEarlierAttempt(QuickBooksConnection connection, AccountingCommand command,
                                                      ObjectNode desired) throws AccountingException {
        String entity = command.entityType().apiName();
        String where;
        if (command.entityType() == EntityType.PAYMENT) {
            where = "CustomerRef = " + quoted(desired.path("CustomerRef").path("value").asText());
        } else if (command.entityType() == EntityType.JOURNAL_ENTRY) {
            where = "DocNumber = " + quoted(QuickBooksIds.docNumber(command.entityType(), command.sourceObjectId(), 0));
        } else {
            return Optional.empty();
        }
        String marker = QuickBooksIds.marker(command.entityType(), command.sourceObjectId());
        for (JsonNode candidate : http.query(connection, "SELECT * FROM " + entity + " WHERE " + where + " MAXRESULTS 1000")
                .path("QueryResponse").path(entity)) {
            if (candidate.path("PrivateNote").asText("").contains(marker)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A string literal of QuickBooks' query language: backslash and quote escaped by a backslash. */
    static String quoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static ExternalIdMap.Order order(AccountingCommand command) {
        return new ExternalIdMap.Order(command.version(), command.tieBreak());
    }

    private QuickBooksConnection connection(String tenant) throws AccountingException {
        return connections.find(tenant).orElseThrow(() -> AccountingException.permanent("LH-NOT-CONNECTED",
                "tenant " + tenant + " has no QuickBooks connection"));
    }

    private static AppliedChange change(AccountingCommand command, String id, Outcome outcome) {
        return new AppliedChange(command.entityType(), command.sourceObjectId(), id, outcome);
    }
}
