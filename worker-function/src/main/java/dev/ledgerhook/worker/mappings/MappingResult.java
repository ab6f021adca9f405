package dev.ledgerhook.worker.mappings;

import java.util.List;

import dev.ledgerhook.accounting.AccountingCommand;

/** What an event comes to. */
public sealed interface MappingResult {

    /** Upserts to apply, in order. */
    record Apply(List<AccountingCommand> commands) implements MappingResult {
    }

    /**
     * Read an accounting entity and mirror its current state (QuickBooks change notifications).
     *
     * @param company the accounting company the notification names (QuickBooks realm id); the
     *                entity is read only when it is the tenant's
     */
    record Mirror(String company, String entity, String id, boolean deleted, long notifiedAt) implements MappingResult {
    }

    /** Nothing to do: acknowledged and recorded SKIPPED with the reason. */
    record Skip(String reason) implements MappingResult {
    }
}
