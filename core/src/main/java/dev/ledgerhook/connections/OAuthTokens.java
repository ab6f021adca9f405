package dev.ledgerhook.connections;

import java.time.Duration;

/** What Intuit's token endpoint returns: a new access token and the (rotated) refresh token. */
public record OAuthTokens(String accessToken, String refreshToken, Duration expiresIn) {
}
