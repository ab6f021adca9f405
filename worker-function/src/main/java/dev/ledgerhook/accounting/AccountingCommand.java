package dev.ledgerhook.accounting;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One idempotent upsert: the entity the source object maps to should look like {@link #fields}.
 *
 * @see Commands for the built-in commands
 */
public interface AccountingCommand {

    EntityType entityType();

    /** The source system's id of the object: the external-id map's key. */
    String sourceObjectId();

    /**
     * The event's version for ordering (invariant 9): a command whose version is not newer than the
     * last one applied to the entity is skipped.
     */
    long version();

    /**
     * Orders commands of the same {@link #version()}: sources whose versions tie (Stripe's are
     * whole seconds) give a second key that only grows, such as the event type's place in an
     * object's life ({@code created} before {@code updated}) or a cumulative amount. Commands with
     * the same version and tie-break are told apart by content: the later one is applied when the
     * entity does not already reflect it, so a tie never drops an effect.
     */
    default long tieBreak() {
        return 0;
    }

    /** Other entities this one points at (a receipt's customer); their accounting ids are looked up first. */
    default List<SourceRef> references() {
        return List.of();
    }

    /**
     * The entity's fields in QuickBooks JSON, without Id, SyncToken or DocNumber.
     *
     * @param accountingIds the accounting id of each of {@link #references()}
     */
    ObjectNode fields(Map<SourceRef, String> accountingIds);

    /** A short name for logs: {@code upsert SalesReceipt ch_123}. */
    default String describe() {
        return "upsert " + entityType().apiName() + " " + sourceObjectId();
    }
}
