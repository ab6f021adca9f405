package dev.ledgerhook.connections;

import java.time.Instant;
import java.util.Optional;

/**
 * A tenant's QuickBooks company and OAuth state, as stored in the tenants table
 * ({@code sk = ACCOUNTING#quickbooks}). The client secret is a reference (Secrets Manager, SSM);
 * the rotating refresh token is stored here because it must be replaced atomically.
 *
 * @param version bumped by every token refresh; refreshes are conditional on it
 */
public record QuickBooksConnection(String tenant, String realmId, String clientId, String clientSecretRef,
                                   String refreshToken, Optional<String> accessToken, Instant accessTokenExpiresAt,
                                   long version) {

    public boolean accessTokenValidFor(java.time.Duration margin, Instant now) {
        return accessToken.isPresent() && accessTokenExpiresAt.isAfter(now.plus(margin));
    }
}
