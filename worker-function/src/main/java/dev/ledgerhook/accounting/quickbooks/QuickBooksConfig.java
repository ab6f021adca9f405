package dev.ledgerhook.accounting.quickbooks;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the QuickBooks Online adapter talks to Intuit (or to the simulator, locally). */
@ConfigMapping(prefix = "ledgerhook.quickbooks")
public interface QuickBooksConfig {

    /** API base URL. Default production; the sandbox is {@code https://sandbox-quickbooks.api.intuit.com}. */
    @WithDefault("https://quickbooks.api.intuit.com")
    String baseUrl();

    /** OAuth 2.0 token endpoint. */
    @WithDefault("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer")
    String tokenUrl();

    /** API minor version sent with every call. Default 75. */
    @WithDefault("75")
    int minorVersion();

    /** Client-side cap per realm; QuickBooks allows 500 per minute. Default 450, leaving headroom. */
    @WithDefault("450")
    int requestsPerMinute();

    /** Client-side cap of calls in flight per realm; QuickBooks allows 10. Default 10. */
    @WithDefault("10")
    int maxConcurrent();

    /** Re-reads after a stale SyncToken (5010) before giving up as transient. Default 3. */
    @WithDefault("3")
    int syncTokenRetries();

    /** In-process retries of a 429 after its Retry-After. Default 2. */
    @WithDefault("2")
    int throttleRetries();

    /** In-process retries of a 5xx, with jittered exponential back-off. Default 2. */
    @WithDefault("2")
    int serverErrorRetries();

    /** Longest Retry-After honoured in process; longer ones end the attempt as transient. Default 10 s. */
    @WithDefault("PT10S")
    Duration maxRetryAfter();

    /** Time-out of one HTTP call. Default 10 s. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** Refresh the access token when it has less than this left. Default 5 minutes. */
    @WithDefault("PT5M")
    Duration refreshBefore();
}
