package dev.ledgerhook.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The accounting system as the worker sees it. Every call is safe to repeat: applying the same
 * command twice, or again after a crash at any point, leaves one effect (invariant 3), and a
 * command older than what was applied changes nothing (invariant 9).
 */
public interface AccountingPort {

    AppliedChange apply(CommandContext context, AccountingCommand command) throws AccountingException;

    /** Reads an entity by its accounting id, as the accounting system returns it. */
    ObjectNode read(String tenant, EntityType type, String accountingId) throws AccountingException;
}
