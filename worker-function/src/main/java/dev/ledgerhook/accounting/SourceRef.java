package dev.ledgerhook.accounting;

/** An entity by its id in the source system (a Stripe customer id, a Shopify order id, ...). */
public record SourceRef(EntityType type, String sourceObjectId) {
}
