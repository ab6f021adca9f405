package dev.ledgerhook.providers;

/**
 * One event parsed out of a delivery.
 *
 * @param eventKey  the provider's event id, or the SHA-256 hex of stable payload fields where the
 *                  provider has none; never derived from the time of receipt, so a retry maps to
 *                  the same key (at most 256 characters)
 * @param eventType the provider's type or topic, e.g. "customer.created", "orders/paid"
 * @param version   epoch milliseconds of the provider's own timestamp, used to refuse applying
 *                  older state over newer when deliveries arrive out of order
 * @param payload   the event's JSON text
 */
public record ProviderEvent(String eventKey, String eventType, long version, String payload) {}
