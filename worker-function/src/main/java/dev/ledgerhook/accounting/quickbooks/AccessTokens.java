package dev.ledgerhook.accounting.quickbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

import dev.ledgerhook.accounting.AccountingException;
import dev.ledgerhook.secrets.SecretResolver;
import dev.ledgerhook.secrets.SecretUnavailableException;
import dev.ledgerhook.connections.OAuthTokens;
import dev.ledgerhook.connections.QuickBooksConnection;
import dev.ledgerhook.connections.QuickBooksConnections;

/**
 * A valid access token per tenant. Refreshed before expiry; the refresh happens under a lock in
 * DynamoDB so that of several containers only one spends the refresh token, and the rotated
 * refresh token is stored before the lock is released. The others wait and read the result.
 */
@ApplicationScoped
public class AccessTokens {

    private static final Duration LOCK = Duration.ofSeconds(15);
    private static final int ATTEMPTS = 50;

    private final QuickBooksConnections connections;
    private final SecretResolver secrets;
    private final QuickBooksConfig config;
    private final Provider<QuickBooksHttp> http;
    private final Map<String, QuickBooksConnection> cache = new ConcurrentHashMap<>();
    /** Per tenant, the access token QuickBooks last refused: never handed out again. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    @Inject
    public AccessTokens(QuickBooksConnections connections, SecretResolver secrets, QuickBooksConfig config,
                        Provider<QuickBooksHttp> http) {
        this.connections = connections;
        this.secrets = secrets;
        this.config = config;
        this.http = http;
    }

    public String accessToken(String tenant) throws AccountingException {
        QuickBooksConnection cached = cache.get(tenant);
        if (cached != null && cached.accessTokenValidFor(config.refreshBefore(), Instant.now())) {
            return cached.accessToken().orElseThrow();
        }
        return refreshUnlessFresh(tenant);
    }

    /** QuickBooks refused {@code token} (401): the next call refreshes, unless another container already did. */
    public void rejected(String tenant, String token) {
        refused.put(tenant, token);
        cache.remove(tenant);
    }

    private String refreshUnlessFresh(String tenant) throws AccountingException {
        String owner = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            QuickBooksConnection stored = connection(tenant);
            boolean refusedBefore = stored.accessToken().filter(token -> token.equals(refused.get(tenant))).isPresent();
            if (!refusedBefore && stored.accessTokenValidFor(config.refreshBefore(), Instant.now())) {
                cache.put(tenant, stored);
                return stored.accessToken().orElseThrow();
            }
            Instant now = Instant.now();
            if (connections.lock(stored, owner, now, now.plus(LOCK))) {
                return refreshUnderLock(stored, owner);
            }
            sleep(100);
        }
        throw AccountingException.transientFailure("LH-OAUTH-BUSY", "token refresh for tenant " + tenant + " is busy");
    }

    private String refreshUnderLock(QuickBooksConnection stored, String owner) throws AccountingException {
        OAuthTokens fresh;
        try {
            String clientSecret = secrets.resolve(stored.clientSecretRef());
            fresh = http.get().refresh(stored.clientId(), clientSecret, stored.refreshToken());
        } catch (SecretUnavailableException e) {
            connections.unlock(stored, owner);
            throw AccountingException.transientFailure("LH-SECRET", e.getMessage());
        } catch (AccountingException e) {
            connections.unlock(stored, owner);
            throw e;
        }
        // The refresh token we just spent is gone at Intuit: the new one must be stored, so retry the write.
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                if (connections.saveRefreshed(stored, owner, fresh, Instant.now())) {
                    cache.remove(stored.tenant());
                    return fresh.accessToken();
                }
                throw AccountingException.transientFailure("LH-OAUTH-LOCK",
                        "lost the refresh lock for tenant " + stored.tenant() + " while refreshing");
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                sleep(200L * (attempt + 1));
            }
        }
        throw AccountingException.permanent("LH-OAUTH-LOST",
                "refreshed QuickBooks tokens for tenant " + stored.tenant() + " could not be stored; reconnect the tenant");
    }

    private QuickBooksConnection connection(String tenant) throws AccountingException {
        return connections.find(tenant).orElseThrow(() -> AccountingException.permanent("LH-NOT-CONNECTED",
                "tenant " + tenant + " has no QuickBooks connection"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
