package dev.ledgerhook.accounting;

import java.time.Duration;
import java.util.Optional;

/**
 * A command the accounting system did not apply. {@link #isTransient()} decides between retrying
 * (5xx, 429, time-outs, a SyncToken still stale after the bounded re-reads, a reference not mapped
 * yet) and giving up (validation errors): the code and message are the accounting system's own,
 * kept for reconciliation.
 */
public class AccountingException extends Exception {

    private final boolean transientFailure;
    private final int httpStatus;
    private final String code;
    private final Optional<Duration> retryAfter;

    public AccountingException(boolean transientFailure, int httpStatus, String code, String message,
                               Optional<Duration> retryAfter) {
        super(message);
        this.transientFailure = transientFailure;
        this.httpStatus = httpStatus;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static AccountingException transientFailure(String code, String message) {
        return new AccountingException(true, 0, code, message, Optional.empty());
    }

    public static AccountingException permanent(String code, String message) {
        return new AccountingException(false, 0, code, message, Optional.empty());
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The accounting system's error code (QuickBooks: 5010, 6240, 3001, ...), or ours ({@code LH-...}). */
    public String code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
