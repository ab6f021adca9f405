package dev.ledgerhook.ledger;

/**
 * The condition expressions the event ledger's correctness rests on. The emulator contract tests
 * run these exact strings, so changing one without changing the behaviour they pin fails the build.
 */
public final class LedgerConditions {

    /**
     * Claim an event key: succeeds when no item holds the key, or when the item's TTL has passed.
     * DynamoDB deletes expired items only within about two days, so an expired item must count as
     * absent (invariant 4). {@code :now} is epoch seconds, like {@code expiresAt}.
     */
    public static final String CLAIM = "attribute_not_exists(pk) OR expiresAt < :now";

    /**
     * Take over a claim whose claimant never finished: the item is still RECEIVED and its lease has
     * run out (the claimant crashed, or its SQS send failed and the release did not happen). Two
     * deliveries racing for the same expired lease both evaluate this; DynamoDB serialises the
     * writes, so exactly one wins and the other sees a fresh lease and answers as a duplicate.
     * {@code :now} is epoch milliseconds, like {@code leaseUntil}; {@code #status} is {@code status}.
     */
    public static final String LEASE_TAKEOVER = "#status = :received AND leaseUntil < :now";

    /**
     * The claim is still this delivery's: RECEIVED with the lease it wrote. Guards marking it
     * ENQUEUED and releasing it after a failed send, so neither undoes a take-over or a worker's
     * progress that happened in between. {@code :lease} is the claimant's own {@code leaseUntil}.
     */
    public static final String OWN_CLAIM = "#status = :received AND leaseUntil = :lease";

    private LedgerConditions() {
    }
}
