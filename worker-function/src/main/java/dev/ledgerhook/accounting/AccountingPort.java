package dev.ledgerhook.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The accounting system as the worker sees it. Every call is safe to repeat: applying the same
 * command twice, or again after a crash at any point, leaves one effect (invariant 3), and a
 * command older than what was applied changes nothing (invariant 9).
 */
public interface AccountingPort {

    AppliedChange apply(CommandContext context, AccountingCommand command) throws AccountingException;

    /** Reads an entity by its accounting id from the tenant's company, as the accounting system returns it. */
    ObjectNode read(String tenant, EntityType type, String accountingId) throws AccountingException;

    /**
     * Reads as {@link #read(String, EntityType, String)}, but only from {@code company} (for QuickBooks
     * the realm id): when the tenant's connected company is another, nothing is read and the call fails
     * (permanent, {@code LH-OTHER-COMPANY}).
     */
    ObjectNode read(String tenant, String company, EntityType type, String accountingId) throws AccountingException;
}
