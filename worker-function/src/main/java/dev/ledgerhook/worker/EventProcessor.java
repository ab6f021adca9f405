package dev.ledgerhook.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ledgerhook.accounting.AccountingCommand;
import dev.ledgerhook.accounting.AccountingException;
import dev.ledgerhook.accounting.AccountingPort;
import dev.ledgerhook.accounting.AppliedChange;
import dev.ledgerhook.accounting.CommandContext;
import dev.ledgerhook.accounting.EntityType;
import dev.ledgerhook.connections.QuickBooksConnection;
import dev.ledgerhook.connections.QuickBooksConnections;
import dev.ledgerhook.ledger.EventProgress;
import dev.ledgerhook.mirror.EntityMirror;
import dev.ledgerhook.outcomes.OutcomeLog;
import dev.ledgerhook.queue.EventEnvelope;
import dev.ledgerhook.tracing.Tracer;
import dev.ledgerhook.worker.mappings.EventMappings;
import dev.ledgerhook.worker.mappings.MappingResult;
import io.smallrye.faulttolerance.api.Guard;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One event, from envelope to final state: mark PROCESSING (unless already finished), map to
 * commands, apply each through the tenant's guard, mark COMPLETED. Every outcome is one outcome
 * line with what a person needs to reconcile by hand. When the invocation is traced, the two marks
 * are spans {@code mark-processing} and {@code mark-completed}.
 */
@ApplicationScoped
public class EventProcessor {

    private final EventProgress progress;
    private final EventMappings mappings;
    private final AccountingPort accounting;
    private final EntityMirror mirror;
    private final QuickBooksConnections connections;
    private final TenantGuards guards;
    private final WorkerConfig config;
    private final OutcomeLog outcomes;
    private final Tracer tracer;

    public EventProcessor(EventProgress progress, EventMappings mappings, AccountingPort accounting, EntityMirror mirror,
                          QuickBooksConnections connections, TenantGuards guards, WorkerConfig config,
                          OutcomeLog outcomes, Tracer tracer) {
        this.progress = progress;
        this.mappings = mappings;
        this.accounting = accounting;
        this.mirror = mirror;
        this.connections = connections;
        this.guards = guards;
        this.config = config;
        this.outcomes = outcomes;
        this.tracer = tracer;
    }

    /**
     * @param messageId      the SQS message id: a redelivery of a message already dead-lettered is not run again
     * @param deadlineMillis epoch millis by which the invocation must have answered
     */
    public ProcessingOutcome process(EventEnvelope event, String messageId, long deadlineMillis) {
        long started = System.nanoTime();
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("tenant", event.id().tenant());
        log.put("source", event.id().source());
        log.put("eventKey", event.id().eventKey());
        log.put("eventType", event.eventType());
        EventProgress.Start start = markProcessing(event, messageId);
        log.put("attempt", start.attempt());
        ProcessingOutcome outcome = start.proceed()
                ? run(event, deadlineMillis, log, started)
                : new ProcessingOutcome.AlreadyDone(start.skipReason());
        record(outcome, log, started);
        return outcome;
    }

    private ProcessingOutcome run(EventEnvelope event, long deadlineMillis, Map<String, Object> log, long started) {
        MappingResult result;
        try {
            result = mappings.forType(event.sourceType())
                    .map(mapping -> mapping.map(event))
                    .orElse(new MappingResult.Skip("no mapping for source type " + event.sourceType()));
        } catch (IllegalArgumentException malformed) {
            return fail(event, "LH-MAPPING", malformed.getMessage());
        }
        try {
            result = onlyTheTenantsCompany(event, result);
        } catch (SdkException e) {
            return retryLater(event, "LH-" + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        }
        if (result instanceof MappingResult.Skip skip) {
            return settled(progress.skipped(event.id(), skip.reason()), new ProcessingOutcome.Skipped(skip.reason()));
        }
        Guard guard = guards.forTenant(event.id().tenant());
        try {
            String ids = result instanceof MappingResult.Apply apply
                    ? applyAll(event, apply.commands(), guard, deadlineMillis, log)
                    : mirrorEntity(event, (MappingResult.Mirror) result, guard, deadlineMillis, log);
            return settled(markCompleted(event, ids, started), new ProcessingOutcome.Completed(ids));
        } catch (AccountingException e) {
            if (!e.isTransient()) {
                return fail(event, e.code(), e.getMessage());
            }
            return retryLater(event, e.code(), e.getMessage());
        } catch (Exception e) {
            String code = e instanceof TenantGuards.DeadlineReached ? "LH-DEADLINE" : "LH-" + e.getClass().getSimpleName();
            return retryLater(event, code, String.valueOf(e.getMessage()));
        }
    }

    /** The PROCESSING mark (and attempt count), in span {@code mark-processing}. */
    private EventProgress.Start markProcessing(EventEnvelope event, String messageId) {
        return tracer.trace("mark-processing", annotations(event), span -> {
            EventProgress.Start start = progress.start(event, messageId, System.currentTimeMillis());
            span.annotate("attempt", start.attempt()).annotate("proceed", start.proceed());
            return start;
        });
    }

    /** The COMPLETED mark with the accounting ids, in span {@code mark-completed}. */
    private EventProgress.Finish markCompleted(EventEnvelope event, String ids, long started) {
        return tracer.trace("mark-completed", annotations(event), span -> {
            EventProgress.Finish finish = progress.completed(event.id(), ids, (System.nanoTime() - started) / 1_000_000);
            span.annotate("held", finish.held());
            return finish;
        });
    }

    private static Map<String, Object> annotations(EventEnvelope event) {
        return Map.of("tenant", event.id().tenant(), "source", event.id().source(), "eventKey", event.id().eventKey());
    }

    /** A transient failure: the error is kept on the event (PROCESSING) for its next delivery. */
    private ProcessingOutcome retryLater(EventEnvelope event, String code, String message) {
        progress.lastError(event.id(), code, message);
        return new ProcessingOutcome.Transient(code, message);
    }

    private String applyAll(EventEnvelope event, List<AccountingCommand> commands, Guard guard, long deadlineMillis,
                            Map<String, Object> log) throws Exception {
        List<String> ids = new ArrayList<>();
        log.put("commands", String.join("; ", commands.stream().map(AccountingCommand::describe).toList()));
        for (int i = 0; i < commands.size(); i++) {
            AccountingCommand command = commands.get(i);
            CommandContext context = new CommandContext(event.id().tenant(), event.id().source(), event.id().eventKey(), i);
            AppliedChange change = guard.call(() -> {
                requireTime(deadlineMillis);
                return accounting.apply(context, command);
            }, AppliedChange.class);
            ids.add(change.entityType().apiName() + ":" + change.accountingId() + ":" + change.outcome());
            log.put("accountingIds", String.join(",", ids));
        }
        return String.join(",", ids);
    }

    private String mirrorEntity(EventEnvelope event, MappingResult.Mirror change, Guard guard, long deadlineMillis,
                                Map<String, Object> log) throws Exception {
        log.put("commands", "mirror " + change.entity() + " " + change.id());
        Optional<EntityType> type = Arrays.stream(EntityType.values())
                .filter(t -> t.apiName().equalsIgnoreCase(change.entity())).findFirst();
        if (type.isEmpty() || change.deleted()) {
            String entity = type.map(EntityType::apiName).orElse(change.entity());
            mirror.record(event.id().tenant(), entity, change.id(), change.notifiedAt(), "{}", change.deleted());
            return entity + ":" + change.id() + (change.deleted() ? ":DELETED" : ":NOT_READ");
        }
        ObjectNode current = guard.call(() -> {
            requireTime(deadlineMillis);
            return accounting.read(event.id().tenant(), change.company(), type.get(), change.id());
        }, ObjectNode.class);
        long lastUpdated = dev.ledgerhook.worker.mappings.MirrorTimes.lastUpdated(current, change.notifiedAt());
        boolean stored = mirror.record(event.id().tenant(), type.get().apiName(), change.id(), lastUpdated,
                current.toString(), false);
        return type.get().apiName() + ":" + change.id() + (stored ? ":MIRRORED" : ":OLDER_THAN_MIRROR");
    }

    /**
     * A QuickBooks app has one webhook for every company connected to it, so a tenant's endpoint can
     * receive another company's change notification. Its entity id means nothing in the tenant's
     * company (the same id names another entity there), so it is skipped, never read or mirrored
     * (invariant 11). A tenant with no connection is left to the read, which fails LH-NOT-CONNECTED.
     * Race window: the tenant may be reconnected to another company between this check and the read;
     * the read is therefore asked for this company and refuses (LH-OTHER-COMPANY) if it is no longer
     * the tenant's, so the entity is never read from the wrong company.
     */
    private MappingResult onlyTheTenantsCompany(EventEnvelope event, MappingResult result) {
        if (!(result instanceof MappingResult.Mirror change)) {
            return result;
        }
        Optional<String> company = connections.find(event.id().tenant()).map(QuickBooksConnection::realmId);
        if (company.isEmpty() || company.get().equals(change.company())) {
            return result;
        }
        return new MappingResult.Skip("realm " + change.company() + " is not the tenant's company " + company.get());
    }

    private void requireTime(long deadlineMillis) {
        if (deadlineMillis - System.currentTimeMillis() < config.deadlineMargin().toMillis()) {
            throw new TenantGuards.DeadlineReached();
        }
    }

    private ProcessingOutcome fail(EventEnvelope event, String code, String message) {
        return settled(progress.failed(event.id(), code, message), new ProcessingOutcome.Permanent(code, message));
    }

    /**
     * What a finish comes to. It held: the outcome it was for. Another delivery of the event finished it
     * first (both ran at once; the accounting port kept it to one effect): acknowledged as already that,
     * so no DLQ message for an event that is done, none twice for one dead-lettered by the other. The
     * record is gone (TTL): the outcome it was for, so a permanent failure still reaches the DLQ.
     */
    private static ProcessingOutcome settled(EventProgress.Finish finish, ProcessingOutcome outcome) {
        if (finish.held() || finish.found().isEmpty()) {
            return outcome;
        }
        return new ProcessingOutcome.AlreadyDone("already " + finish.found().get());
    }

    private void record(ProcessingOutcome outcome, Map<String, Object> log, long started) {
        String name;
        if (outcome instanceof ProcessingOutcome.Completed) {
            name = "completed";
        } else if (outcome instanceof ProcessingOutcome.Skipped skipped) {
            name = "skipped";
            log.put("reason", skipped.reason());
        } else if (outcome instanceof ProcessingOutcome.AlreadyDone again) {
            name = "already_done";
            log.put("reason", again.reason());
        } else if (outcome instanceof ProcessingOutcome.Transient failure) {
            name = "retry_later";
            log.put("errorCode", failure.code());
            log.put("error", failure.message());
        } else {
            ProcessingOutcome.Permanent failure = (ProcessingOutcome.Permanent) outcome;
            name = "failed";
            log.put("errorCode", failure.code());
            log.put("error", failure.message());
        }
        outcomes.record("worker", name, (System.nanoTime() - started) / 1_000_000.0, log);
    }
}
