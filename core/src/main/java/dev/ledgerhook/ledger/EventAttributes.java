package dev.ledgerhook.ledger;

/** Attribute names of an item in the events table. */
public final class EventAttributes {

    /** {@code {tenant}#{source}#{eventKey}}: the claim key. */
    public static final String PK = "pk";
    /** RECEIVED, PROCESSING, COMPLETED, FAILED or SKIPPED. A reserved word in DynamoDB: use {@code #status}. */
    public static final String STATUS = "status";
    /** SHA-256 of the event's payload, hex: tells a duplicate from a key collision (invariant 7). */
    public static final String PAYLOAD_HASH = "payloadHash";
    /** Epoch milliseconds of the first delivery. */
    public static final String RECEIVED_AT = "receivedAt";
    /** Epoch milliseconds until which the claimant owns the enqueue; after it, a delivery takes over. */
    public static final String LEASE_UNTIL = "leaseUntil";
    /** Epoch seconds: the TTL attribute. An item past it counts as absent (invariant 4). */
    public static final String EXPIRES_AT = "expiresAt";
    /** How many deliveries of this key arrived. */
    public static final String DELIVERIES = "deliveries";

    public static final String TENANT = "tenant";
    public static final String SOURCE = "source";
    public static final String EVENT_KEY = "eventKey";
    public static final String EVENT_TYPE = "eventType";
    /** The provider's ordering value for the event (epoch milliseconds of its timestamp, or a sequence). */
    public static final String VERSION = "version";
    /**
     * String set: the SQS message ids whose copy the worker sent to the DLQ. A redelivery of one of them
     * is acknowledged without work; a replay is a new message id and runs.
     */
    public static final String DEAD_LETTERED = "deadLetteredMessageIds";

    private EventAttributes() {
    }
}
