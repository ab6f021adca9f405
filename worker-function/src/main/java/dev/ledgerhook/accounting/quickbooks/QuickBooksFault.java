package dev.ledgerhook.accounting.quickbooks;

import java.time.Duration;
import java.util.Optional;

import dev.ledgerhook.accounting.AccountingException;

/** Builds {@link AccountingException}s from QuickBooks answers, deciding transient or permanent. */
final class QuickBooksFault {

    static final String STALE_SYNC_TOKEN = "5010";
    static final String DUPLICATE_DOC_NUMBER = "6140";
    static final String DUPLICATE_NAME = "6240";

    private QuickBooksFault() {
    }

    /**
     * 5xx and 429 are transient; so is 401 (the token is refreshed and the call retried first).
     * Other 4xx are validation faults: permanent, except a stale SyncToken, which the adapter retries.
     */
    static AccountingException fromResponse(int status, String code, String message, Optional<Duration> retryAfter) {
        boolean transientFailure = status >= 500 || status == 429 || status == 401 || STALE_SYNC_TOKEN.equals(code);
        return new AccountingException(transientFailure, status, code, message, retryAfter);
    }

    static AccountingException io(String what, Exception cause) {
        return AccountingException.transientFailure("LH-IO", what + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }
}
